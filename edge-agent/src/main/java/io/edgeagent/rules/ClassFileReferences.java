package io.edgeagent.rules;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The members one class file refers to, read from its constant pool: every method and field it can call or touch
 * (JVMS 4.4), as owner (internal name, {@code java/lang/Runtime}) and member name, plus whether it holds method
 * handles or dynamic call sites, which name their target indirectly. A class cannot call anything that is not in
 * its constant pool, which is what makes this a complete list for the sandbox check of compiled rules.
 */
final class ClassFileReferences {

    /** One reference: {@code kind} is "method" or "field". */
    record Reference(String owner, String name, String kind) {

        String display() {
            return owner.replace('/', '.') + "." + name;
        }
    }

    private static final int UTF8 = 1;
    private static final int CLASS = 7;
    private static final int FIELD_REF = 9;
    private static final int METHOD_REF = 10;
    private static final int INTERFACE_METHOD_REF = 11;
    private static final int NAME_AND_TYPE = 12;
    private static final int METHOD_HANDLE = 15;
    private static final int DYNAMIC = 17;
    private static final int INVOKE_DYNAMIC = 18;

    private final List<Reference> references;
    private final boolean indirect;

    private ClassFileReferences(List<Reference> references, boolean indirect) {
        this.references = List.copyOf(references);
        this.indirect = indirect;
    }

    List<Reference> references() {
        return references;
    }

    /** True when the class holds method handles or dynamic call sites (bootstrap methods pick their target). */
    boolean indirect() {
        return indirect;
    }

    /** @throws IllegalArgumentException when {@code classFile} is not a well-formed class file */
    static ClassFileReferences read(byte[] classFile) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IllegalArgumentException("not a class file");
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            int[] tags = new int[count];
            String[] utf8 = new String[count];
            int[] first = new int[count];
            int[] second = new int[count];
            boolean indirect = false;
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                tags[i] = tag;
                switch (tag) {
                    case UTF8 -> utf8[i] = in.readUTF();
                    case CLASS, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++;
                    }
                    case FIELD_REF, METHOD_REF, INTERFACE_METHOD_REF, NAME_AND_TYPE, DYNAMIC, INVOKE_DYNAMIC -> {
                        first[i] = in.readUnsignedShort();
                        second[i] = in.readUnsignedShort();
                        indirect |= tag == DYNAMIC || tag == INVOKE_DYNAMIC;
                    }
                    case METHOD_HANDLE -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                        indirect = true;
                    }
                    default -> throw new IllegalArgumentException("unknown constant pool tag " + tag + " at " + i);
                }
            }
            List<Reference> references = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                if (tags[i] == FIELD_REF || tags[i] == METHOD_REF || tags[i] == INTERFACE_METHOD_REF) {
                    String owner = utf8[first[first[i]]];
                    String name = utf8[first[second[i]]];
                    references.add(new Reference(owner, name, tags[i] == FIELD_REF ? "field" : "method"));
                }
            }
            return new ClassFileReferences(references, indirect);
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("malformed class file: " + e, e);
        }
    }
}
