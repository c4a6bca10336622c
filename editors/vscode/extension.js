// The VS Code side of secretc: starts `secretc lsp` for rule files and hands it to VS Code's language
// client (npm's vscode-languageclient). Everything the editor shows comes from the server.
const vscode = require('vscode');
const {LanguageClient} = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('secretc').get('path') || 'secretc';
  client = new LanguageClient(
    'secretc', 'secretc',
    {command, args: ['lsp']},
    {documentSelector: [{scheme: 'file', language: 'secretc-rules'}]});
  context.subscriptions.push(vscode.commands.registerCommand('secretc.runTestsOfFile', async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return;
    const result = await client.sendRequest('workspace/executeCommand',
      {command: 'secretc.runTests', arguments: [editor.document.uri.toString()]});
    vscode.window.showInformationMessage(`secretc : ${result.passed} test(s) réussi(s), ${result.failed} échoué(s)`);
  }));
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = {activate, deactivate};
