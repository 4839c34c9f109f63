package io.edgeagent.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One step a rule runs when it fires, selected by its {@code type} key. String values may contain {@code {field}}
 * placeholders filled from the rule's select columns. Every type also has the workflow options of {@link StepOptions}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = LogAction.class, name = "log"),
        @JsonSubTypes.Type(value = MqttAction.class, name = "mqtt"),
        @JsonSubTypes.Type(value = ExecAction.class, name = "exec"),
        @JsonSubTypes.Type(value = HttpAction.class, name = "http"),
        @JsonSubTypes.Type(value = EmitAction.class, name = "emit"),
        @JsonSubTypes.Type(value = WorkflowAction.class, name = "workflow")
})
public sealed interface ActionSpec extends StepOptions
        permits LogAction, MqttAction, ExecAction, HttpAction, EmitAction, WorkflowAction, InvalidAction {

    /** The type name as written in rule files. */
    String type();
}
