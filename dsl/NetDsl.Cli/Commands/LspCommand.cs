using System.CommandLine;
using NetDsl.LanguageServer;

namespace NetDsl.Cli.Commands;

/// <summary><c>netdsl lsp</c>: the language server, speaking LSP over stdin and stdout, for editors.</summary>
internal static class LspCommand
{
    public static Command Create()
    {
        // Editors' LSP clients add --stdio when they talk over stdin/stdout; it is the only transport.
        var stdio = new Option<bool>("--stdio") { Description = "talk over stdin/stdout (the default and only transport)" };
        var command = new Command("lsp", "Run the language server over stdin/stdout (for VS Code, Neovim, Helix, Emacs, Rider...).") { stdio };
        command.SetAction((_, cancellation) => LanguageServerHost.RunAsync(Console.OpenStandardInput(), Console.OpenStandardOutput()));
        return command;
    }
}
