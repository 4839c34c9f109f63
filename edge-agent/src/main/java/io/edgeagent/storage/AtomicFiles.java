package io.edgeagent.storage;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Puts a fully written file in place so that readers see either the old file or the new one, never half of one. */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Renames {@code written} over {@code target}; a plain replace where the file system cannot rename atomically. */
    public static void replace(Path written, Path target) throws IOException {
        try {
            Files.move(written, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(written, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
