package io.edgeagent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo", description = "Run a self-contained demo.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return ExitCodes.FAILURE;
    }
}
