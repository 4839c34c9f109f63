package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.espertech.esper.common.client.type.EPTypePremade;
import com.espertech.esper.common.internal.bytecodemodel.base.CodegenMethod;
import com.espertech.esper.common.internal.bytecodemodel.base.CodegenScope;
import org.junit.jupiter.api.Test;

/** The agent's copy of Esper's CodegenMethod (IsolatedEplCompiler.PATCHED_CLASSES) gives the same debug text. */
class PatchedCodegenMethodTest {

    @Test
    void generatorDetail_namesTheFirstCallerOutsideTheCodegenPackage_asEspersOwnDid() {
        int line = new Throwable().getStackTrace()[0].getLineNumber() + 1;
        CodegenMethod method = CodegenMethod.makeParentNode(EPTypePremade.VOID.getEPType(), String.class, new CodegenScope(true));

        assertThat(method.getAdditionalDebugInfo()).isEqualTo("String --- PatchedCodegenMethodTest."
                + "generatorDetail_namesTheFirstCallerOutsideTheCodegenPackage_asEspersOwnDid():" + line);
    }

    @Test
    void generatorDetail_withoutDebug_isTheGeneratorsName() {
        CodegenMethod method = CodegenMethod.makeParentNode(EPTypePremade.VOID.getEPType(), String.class, new CodegenScope(false));

        assertThat(method.getAdditionalDebugInfo()).isEqualTo("String");
    }
}
