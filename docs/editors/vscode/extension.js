// A minimal VS Code extension: starts `sparkplan lsp` for YAML files.
// See docs/editors.md (VS Code) for how to install it.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

exports.activate = function activate(context) {
  const command = vscode.workspace.getConfiguration('sparkplan').get('path') || 'sparkplan';
  client = new LanguageClient(
    'sparkplan',
    'sparkplan',
    { command, args: ['lsp'] },
    {
      documentSelector: [{ scheme: 'file', language: 'yaml' }],
      synchronize: {
        // Files changed outside the editor (git checkout, generators).
        fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.yaml,*.yml,sparkplan.toml}'),
      },
    },
  );
  context.subscriptions.push(client);
  return client.start();
};

exports.deactivate = function deactivate() {
  return client ? client.stop() : undefined;
};
