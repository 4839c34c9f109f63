package io.edgeagent.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One step a rule runs when it fires, selected by its {@code type} key. String values may contain {@code {field}}
 * placeholders filled from the rule's select columns.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = LogAction.class, name = "log"),
        @JsonSubTypes.Type(value = MqttAction.class, name = "mqtt")
})
public sealed interface ActionSpec permits LogAction, MqttAction, InvalidAction {

    /** The type name as written in rule files. */
    String type();
}
