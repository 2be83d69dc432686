// Parses Kotlin source files with the Kotlin compiler's own PSI parser and
// reports every syntax error with file, line and column. Android code (Compose
// screens, platform adapters) cannot be compiled on the Linux build machines —
// the Android SDK and Compose libraries are not there — but it can be parsed,
// so a typo in a screen fails the test command instead of a phone build.
//
//   java -cp kotlin-compiler.jar:kotlin-stdlib.jar:. KotlinParse FILE.kt...
//
// Prints "parsed N files, M syntax errors" and exits 1 when M > 0.

import com.intellij.openapi.Disposable;
import com.intellij.openapi.util.Disposer;
import com.intellij.openapi.util.text.StringUtil;
import com.intellij.psi.PsiErrorElement;
import com.intellij.psi.util.PsiTreeUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jetbrains.kotlin.cli.CompilerConfigurationCreationKt;
import org.jetbrains.kotlin.cli.jvm.compiler.EnvironmentConfigFiles;
import org.jetbrains.kotlin.cli.jvm.compiler.KotlinCoreEnvironment;
import org.jetbrains.kotlin.config.CommonConfigurationKeys;
import org.jetbrains.kotlin.config.CompilerConfiguration;
import org.jetbrains.kotlin.psi.KtFile;
import org.jetbrains.kotlin.psi.KtPsiFactory;

public final class KotlinParse {
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: KotlinParse FILE.kt...");
            System.exit(2);
        }
        Disposable disposable = Disposer.newDisposable();
        CompilerConfiguration configuration = new CompilerConfiguration();
        configuration.put(CommonConfigurationKeys.MODULE_NAME, "steady-parse-check");
        CompilerConfigurationCreationKt.registerExtensionStorage(configuration);
        KotlinCoreEnvironment environment = KotlinCoreEnvironment.createForProduction(
                disposable, configuration, EnvironmentConfigFiles.JVM_CONFIG_FILES);
        KtPsiFactory factory = new KtPsiFactory(environment.getProject(), false);
        int errors = 0;
        for (String name : args) {
            String text = StringUtil.convertLineSeparators(
                    Files.readString(Path.of(name), StandardCharsets.UTF_8));
            KtFile file = factory.createFile(Path.of(name).getFileName().toString(), text);
            for (PsiErrorElement error : PsiTreeUtil.collectElementsOfType(file, PsiErrorElement.class)) {
                int offset = error.getTextRange().getStartOffset();
                int line = StringUtil.offsetToLineNumber(text, offset) + 1;
                int column = offset - StringUtil.lineColToOffset(text, line - 1, 0) + 1;
                System.out.printf("%s:%d:%d: %s%n", name, line, column, error.getErrorDescription());
                errors++;
            }
        }
        Disposer.dispose(disposable);
        System.out.printf("parsed %d files, %d syntax errors%n", args.length, errors);
        System.exit(errors == 0 ? 0 : 1);
    }
}
