package io.edgeagent.storage;

/**
 * Tells a row whose content no longer matches what was written. H2 finds a page it cannot decode, but it checks a
 * page's position and length, not its bytes: random bytes inside a row's values read back as if they were data (3 in
 * 100 trials of 4 KB of noise at random spots of a 6,000-event buffer). A table that stores a checksum per row checks
 * it here, so a salvage or an export keeps only rows that are what was written.
 */
@FunctionalInterface
public interface RowCheck {

    /** No check: every readable row is kept. */
    RowCheck NONE = values -> true;

    /** Whether the row (the values of the columns the check was made for, in order) is what was written. */
    boolean intact(Object[] values);

}
