// The VS Code side of NetDsl: starts `netdsl lsp` and connects it to the editor. Everything the editor shows
// beyond colours (errors, hovers, shapes, navigation, completion, formatting) comes from the server.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

function createClient() {
  const config = vscode.workspace.getConfiguration('netdsl');
  const command = config.get('server.path') || 'netdsl';
  const args = [...config.get('server.arguments', []), 'lsp'];
  return new LanguageClient(
    'netdsl',
    'NetDsl',
    { command, args, transport: TransportKind.stdio },
    {
      documentSelector: [{ scheme: 'file', language: 'netdsl' }],
      initializationOptions: { inlayHints: { enabled: config.get('inlayHints.enabled', true) } },
      synchronize: {
        configurationSection: 'netdsl',
        // Files changed outside the editor (git checkout, another tool) are re-read by the server.
        fileEvents: vscode.workspace.createFileSystemWatcher('**/*.nn'),
      },
    });
}

async function start() {
  client = createClient();
  try {
    await client.start();
  } catch (error) {
    const path = vscode.workspace.getConfiguration('netdsl').get('server.path') || 'netdsl';
    vscode.window.showErrorMessage(
      `NetDsl: could not start the language server '${path} lsp' (${error.message}). ` +
      'Install it with `dotnet tool install -g NetDsl.Tool` or set "netdsl.server.path".');
  }
}

async function restart() {
  if (client) {
    await client.stop().catch(() => undefined);
  }
  await start();
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('netdsl.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration(event => {
      if (event.affectsConfiguration('netdsl.server')) {
        restart();
      }
    }));
  await start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
