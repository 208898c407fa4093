package org.itsmhub.runtime.cli;

/**
 * Adds a subcommand to {@code itsm-hub} from another module on the class path (found with
 * {@link java.util.ServiceLoader}), e.g. {@code itsm-hub sandbox} from the sandbox modules, which
 * the runtime does not depend on.
 */
public interface CliExtension {

    /** A picocli command object ({@code @Command}-annotated). */
    Object command();
}
