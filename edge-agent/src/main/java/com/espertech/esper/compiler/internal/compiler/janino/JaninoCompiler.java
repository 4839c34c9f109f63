/*
 ***************************************************************************************
 *  Copyright (C) 2006 EsperTech, Inc. All rights reserved.                            *
 *  http://www.espertech.com/esper                                                     *
 *  http://www.espertech.com                                                           *
 *  ---------------------------------------------------------------------------------- *
 *  The software in this package is published under the terms of the GPL license       *
 *  a copy of which has been included with this distribution in the license.txt file.  *
 ***************************************************************************************
 *
 *  edge-agent project - 2026: copy of the Esper 9.0.0 class, used under the GPL v2. Only the rule compiler's own
 *  class loader (io.edgeagent.rules.IsolatedEplCompiler) defines it, in place of Esper's. Changed: the scanner reads
 *  the generated source from a StringReader instead of decoding UTF-8 bytes one character per call (two objects per
 *  character), and the types Janino resolves through the rule compiler's class loader are kept for the next class
 *  the same thread compiles (StableIClasses) instead of being reflected again for every generated class; a name
 *  that loader does not hold is looked up among the module's own classes only, without a ClassNotFoundException
 *  from three class loaders per guess. Janino's debug attributes (source file, line numbers, local variables) follow
 *  Esper's includeDebugSymbols option, which Esper 9.0.0 documents but ignores (it always asked for them); the option
 *  is false by default. Otherwise the compiled byte code is the same. See THIRD-PARTY.md.
 */
package com.espertech.esper.compiler.internal.compiler.janino;

import com.espertech.esper.common.internal.bytecodemodel.core.CodegenClass;
import com.espertech.esper.common.internal.compile.compiler.CompilerAbstractionCompilationContext;
import com.espertech.esper.common.internal.compile.stage3.ModuleCompileTimeServices;
import com.espertech.esper.common.internal.context.util.ByteArrayProvidingClassLoader;
import com.espertech.esper.common.internal.context.util.ParentClassLoader;
import com.espertech.esper.compiler.internal.util.CodegenClassGenerator;
import org.codehaus.janino.ClassLoaderIClassLoader;
import org.codehaus.janino.Descriptor;
import org.codehaus.janino.IClass;
import org.codehaus.janino.IClassLoader;
import org.codehaus.janino.Parser;
import org.codehaus.janino.Scanner;
import org.codehaus.janino.UnitCompiler;
import org.codehaus.janino.util.ClassFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.File;
import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;

import static com.espertech.esper.compiler.internal.util.CodeGenerationUtil.codeWithLineNum;

public class JaninoCompiler {
    private final static Logger log = LoggerFactory.getLogger(JaninoCompiler.class);

    public static void compile(CodegenClass clazz, Map<String, byte[]> classpath, Map<String, byte[]> output, CompilerAbstractionCompilationContext context) {
        String code = CodegenClassGenerator.generate(clazz);
        compileInternal(code, clazz.getClassName(), classpath, output, context.isLogging(), context.getParentClassLoader(), true, null, debugSymbols(context.getServices()));
    }

    public static void compile(String code, String filenameWithoutExtension, Map<String, byte[]> classpath, Map<String, byte[]> output, Consumer<Object> compileResultConsumer, ModuleCompileTimeServices compileTimeServices) {
        boolean withCodeLogging = compileTimeServices.getConfiguration().getCompiler().getLogging().isEnableCode();
        compileInternal(code, filenameWithoutExtension, classpath, output, withCodeLogging, compileTimeServices.getParentClassLoader(), false, compileResultConsumer, debugSymbols(compileTimeServices));
    }

    private static boolean debugSymbols(ModuleCompileTimeServices services) {
        return services.getConfiguration().getCompiler().getByteCode().isIncludeDebugSymbols();
    }

    private static void compileInternal(String code, String classNameForFile, Map<String, byte[]> classpath, Map<String, byte[]> output, boolean withCodeLogging, ClassLoader classLoader, boolean withErrorLogging, Consumer<Object> compileResultConsumer, boolean debugSymbols) {
        try {

            String optionalFileName = null;
            if (Boolean.getBoolean(Scanner.SYSTEM_PROPERTY_SOURCE_DEBUGGING_ENABLE)) {
                String dirName = System.getProperty(Scanner.SYSTEM_PROPERTY_SOURCE_DEBUGGING_DIR);
                if (dirName == null) {
                    dirName = System.getProperty("java.io.tmpdir");
                }
                File file = new File(dirName, classNameForFile + ".java");
                if (!file.exists()) {
                    boolean created = file.createNewFile();
                    if (!created) {
                        throw new RuntimeException("Failed to created file '" + file + "'");
                    }
                }

                try (FileWriter writer = new FileWriter(file); PrintWriter print = new PrintWriter(writer)) {
                    print.write(code);
                } catch (IOException ex) {
                    throw new RuntimeException("Failed to write to file '" + file + "'");
                }

                boolean keep = Boolean.parseBoolean(System.getProperty(Scanner.SYSTEM_PROPERTY_SOURCE_DEBUGGING_KEEP));
                if (!keep) {
                    file.deleteOnExit();
                }
                optionalFileName = file.getAbsolutePath();
            }

            Scanner scanner = new Scanner(optionalFileName, new StringReader(code));

            ByteArrayProvidingClassLoader cl = new ByteArrayProvidingClassLoader(classpath, classLoader);
            UnitCompiler unitCompiler = new UnitCompiler(
                new Parser(scanner).parseAbstractCompilationUnit(),
                iClassLoader(cl, classpath, classLoader));
            Collection<ClassFile> classFiles = new ArrayList<>(4);
            unitCompiler.compileUnit(debugSymbols, debugSymbols, debugSymbols, classFiles);
            for (ClassFile cf : classFiles) {
                output.put(cf.getThisClassName(), cf.toByteArray());
            }
            if (compileResultConsumer != null) {
                compileResultConsumer.accept(classFiles);
            }

            if (withCodeLogging) {
                log.info("Code:\n" + codeWithLineNum(code));
            }
        } catch (Exception ex) {
            if (withErrorLogging) {
                log.error("Failed to compile: " + ex.getMessage() + "\ncode:" + codeWithLineNum(code));
            }
            throw new RuntimeException(ex);
        }
    }

    /**
     * Esper's parent loader (the classes of other deployments over the compiler's loader) is the usual case; with any
     * other loader, Janino's own lookup as in Esper.
     */
    private static IClassLoader iClassLoader(ByteArrayProvidingClassLoader unitLoader, Map<String, byte[]> classpath, ClassLoader classLoader) {
        if (classLoader instanceof ParentClassLoader && classLoader.getParent() != null) {
            ParentClassLoader parent = (ParentClassLoader) classLoader;
            return new ModuleIClassLoader(StableIClasses.forThread(parent.getParent()), unitLoader, classpath, parent.getClasses());
        }
        return new ClassLoaderIClassLoader(unitLoader);
    }

    /**
     * The types a compiling thread resolved through the rule compiler's loader (the JDK, Esper, Janino, the agent's
     * functions): loaded once and reflected once per thread rather than once per generated class. Those classes
     * never change while the loader lives, so neither does what Janino made of them, found or not found. One
     * thread's only, because Janino's types fill their caches without locks. Renewed after {@link #UNITS} classes:
     * Janino also remembers every name it did not find, and each module's generated names are new.
     */
    static final class StableIClasses {
        private static final int UNITS = 1_000;
        private static final ThreadLocal<StableIClasses> CURRENT = new ThreadLocal<>();

        private final ClassLoader loader;
        private final IClassLoader iClassLoader;
        private int units;

        private StableIClasses(ClassLoader loader) {
            this.loader = loader;
            this.iClassLoader = new ClassLoaderIClassLoader(loader);
        }

        static IClassLoader forThread(ClassLoader loader) {
            StableIClasses current = CURRENT.get();
            if (current == null || current.loader != loader || current.units >= UNITS) {
                current = new StableIClasses(loader);
                CURRENT.set(current);
            }
            current.units++;
            return current.iClassLoader;
        }
    }

    /**
     * What one generated class sees, in the order Esper's loaders would find it: the compiler's loader first (through
     * the thread's {@link StableIClasses}), then the classes generated so far for this module and the classes other
     * deployments added to Esper's parent loader. Any other name does not exist, which Janino's guesses at every
     * simple name in every imported package find out here without asking a class loader.
     */
    static final class ModuleIClassLoader extends IClassLoader {
        /** Janino's reflected type, which is not public; its loaders all make theirs with it. */
        private static final Constructor<?> REFLECTED = reflectedType();

        private final IClassLoader stable;
        private final ClassLoader unitLoader;
        private final Map<String, byte[]> classpath;
        private final Map<String, ?> parentClasses;
        /**
         * Makes the arrays of this module's classes. Janino makes every array type in the root loader, here the
         * thread's StableIClasses, which would then keep this module's loaders and syntax tree for as long as it
         * lives; the arrays of the compiler loader's classes are made there, as before.
         */
        private final IClassLoader moduleArrays;

        /** {@code stable} is Janino's parent loader: it answers first, arrays of its types included. */
        ModuleIClassLoader(IClassLoader stable, ClassLoader unitLoader, Map<String, byte[]> classpath, Map<String, ?> parentClasses) {
            super(stable);
            this.stable = stable;
            this.unitLoader = unitLoader;
            this.classpath = classpath;
            this.parentClasses = parentClasses;
            this.moduleArrays = new IClassLoader(null) {
                @Override
                protected IClass findIClass(String descriptor) {
                    return null;
                }
            };
            moduleArrays.TYPE_java_lang_Object = stable.TYPE_java_lang_Object;
            super.postConstruct();
        }

        @Override
        protected IClass findIClass(String descriptor) throws ClassNotFoundException {
            String name = Descriptor.toClassName(descriptor);
            if (!classpath.containsKey(name) && !parentClasses.containsKey(name)) {
                return null;
            }
            IClass result = reflected(unitLoader.loadClass(name));
            defineIClass(result);
            return result;
        }

        @Override
        public synchronized IClass getArrayIClass(IClass componentType) {
            return ofStableLoader(componentType) ? super.getArrayIClass(componentType) : moduleArrays.getArrayIClass(componentType);
        }

        private boolean ofStableLoader(IClass type) {
            IClass element = type;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            try {
                return element.isPrimitive() || stable.loadIClass(element.getDescriptor()) == element;
            } catch (ClassNotFoundException e) {
                return false;
            }
        }

        private IClass reflected(Class<?> type) {
            try {
                return (IClass) REFLECTED.newInstance(type, this);
            } catch (InvocationTargetException e) {
                // As Janino's own loader would have thrown them (a type its signatures name that is not there).
                if (e.getCause() instanceof RuntimeException) {
                    throw (RuntimeException) e.getCause();
                }
                if (e.getCause() instanceof Error) {
                    throw (Error) e.getCause();
                }
                throw new IllegalStateException("Janino cannot reflect " + type.getName(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Janino cannot reflect " + type.getName(), e);
            }
        }

        private static Constructor<?> reflectedType() {
            try {
                Constructor<?> constructor = Class.forName("org.codehaus.janino.ReflectionIClass", false, IClassLoader.class.getClassLoader())
                    .getDeclaredConstructor(Class.class, IClassLoader.class);
                constructor.setAccessible(true);
                return constructor;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("not the Janino this compiler was written for: " + e, e);
            }
        }
    }
}
