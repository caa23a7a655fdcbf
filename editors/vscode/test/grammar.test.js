// Grammar tests: tokenizes every file of the model zoo with the real TextMate engine VS Code uses
// (vscode-textmate + vscode-oniguruma) and checks the scopes of representative tokens.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const textmate = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const zoo = path.join(__dirname, '..', '..', '..', 'examples', 'models');
const grammarPath = path.join(__dirname, '..', 'syntaxes', 'netdsl.tmLanguage.json');
const zooFiles = fs.readdirSync(zoo).filter(f => f.endsWith('.nn')).sort();
const layers = ['conv', 'dwconv', 'compconv', 'linear', 'bn', 'crelu', 'maxpool', 'avgpool', 'flatten', 'dropout', 'droppath', 'shuffle', 'se', 'deconv', 'upsample'];

let grammar;

before(async () => {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: patterns => new oniguruma.OnigScanner(patterns),
      createOnigString: text => new oniguruma.OnigString(text),
    }),
    loadGrammar: async scopeName => scopeName === 'source.netdsl'
      ? textmate.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath)
      : null,
  });
  grammar = await registry.loadGrammar('source.netdsl');
});

/** Every token of a text: { line, text, start, scopes }. */
function tokenize(text) {
  const tokens = [];
  let state = textmate.INITIAL;
  text.split(/\r?\n/).forEach((line, index) => {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) {
      tokens.push({ line: index, text: line.substring(token.startIndex, token.endIndex), start: token.startIndex, scopes: token.scopes });
    }
    state = result.ruleStack;
  });
  return tokens;
}

/** The innermost scope of the token covering column `column` of line `line`. */
function scopeAt(tokens, line, column) {
  const token = tokens.find(t => t.line === line && t.start <= column && column < t.start + t.text.length);
  assert.ok(token, `no token at ${line}:${column}`);
  return token.scopes[token.scopes.length - 1];
}

function scopesOf(text, word) {
  const tokens = tokenize(text);
  return tokens.filter(t => t.text === word).map(t => t.scopes[t.scopes.length - 1]);
}

test('the grammar tokenizes a small example exactly', () => {
  const text = [
    '// Tiny network',
    'network Tiny(classes: int = 10, width: float = 1.0) {',
    '    input 1x28x28',
    '    let ch(c) = divisible(c * width, 8)',
    '    stem: { conv(ch(16), k: 3) bn relu }',
    '    repeat 2 as i { Unit(32 div 2, s: i == 0 ? 2 : 1) }',
    '    avgpool flatten linear(classes) as head /* end */',
    '}',
    'block Unit(out: int, s: int = 1) { conv(out, k: 3, s: s, bias: false) }',
    'variant TinyWide = Tiny(width: 2.0) { input 3x32x32 }',
  ].join('\n');
  const tokens = tokenize(text);
  const expect = (line, column, scope) => assert.equal(scopeAt(tokens, line, column), scope, `${line}:${column}`);
  expect(0, 0, 'punctuation.definition.comment.netdsl');
  expect(0, 5, 'comment.line.double-slash.netdsl');
  expect(1, 0, 'keyword.other.declaration.network.netdsl');
  expect(1, 8, 'entity.name.type.network.netdsl');
  expect(1, 13, 'variable.parameter.netdsl');
  expect(1, 22, 'storage.type.netdsl');
  expect(1, 28, 'constant.numeric.integer.netdsl');
  expect(1, 47, 'constant.numeric.float.netdsl');
  expect(2, 4, 'keyword.control.netdsl');
  expect(2, 10, 'constant.numeric.shape.netdsl');
  expect(3, 4, 'keyword.other.let.netdsl');
  expect(3, 8, 'variable.other.definition.netdsl');
  expect(3, 16, 'support.function.builtin.netdsl');
  expect(3, 28, 'keyword.operator.netdsl');
  expect(4, 4, 'entity.name.tag.label.netdsl');
  expect(4, 12, 'support.function.layer.netdsl');
  expect(4, 31, 'support.function.layer.netdsl');
  expect(4, 34, 'support.function.activation.netdsl');
  expect(5, 4, 'keyword.control.netdsl');
  expect(5, 13, 'keyword.control.netdsl');
  expect(5, 16, 'variable.other.definition.netdsl');
  expect(5, 20, 'entity.name.type.netdsl');
  expect(5, 28, 'keyword.operator.word.netdsl');
  expect(5, 45, 'keyword.operator.netdsl');
  expect(6, 40, 'entity.name.tag.label.netdsl');
  expect(6, 46, 'comment.block.netdsl');
  expect(8, 0, 'keyword.other.declaration.block.netdsl');
  expect(8, 6, 'entity.name.function.block.netdsl');
  expect(8, 66, 'constant.language.boolean.netdsl');
  expect(9, 0, 'keyword.other.declaration.variant.netdsl');
  expect(9, 8, 'entity.name.type.variant.netdsl');
  expect(9, 19, 'entity.name.type.network.netdsl');
  expect(9, 44, 'constant.numeric.shape.netdsl');
});

for (const file of zooFiles) {
  test(`zoo file ${file}: comments, declarations, layers and shapes get their scopes`, () => {
    const text = fs.readFileSync(path.join(zoo, file), 'utf8');
    const lines = text.split(/\r?\n/);
    const tokens = tokenize(text);
    assert.equal(tokens.filter(t => t.text.trim()).length > 0, true);

    let declarations = 0, layerUses = 0, shapes = 0, comments = 0;
    lines.forEach((line, index) => {
      // Everything after // (outside a block comment) is a comment.
      const comment = line.indexOf('//');
      if (comment >= 0 && !line.slice(0, comment).includes('/*')) {
        assert.match(scopeAt(tokens, index, comment + 2 < line.length ? comment + 2 : comment), /^(comment|punctuation\.definition\.comment)/, `${file}:${index + 1}`);
        comments++;
      }
      const code = comment >= 0 ? line.slice(0, comment) : line;
      const declaration = /^(network|block|variant)\s+([A-Za-z_]\w*)/.exec(code);
      if (declaration) {
        assert.equal(scopeAt(tokens, index, 0), `keyword.other.declaration.${declaration[1]}.netdsl`, `${file}:${index + 1}`);
        const name = { network: 'entity.name.type.network.netdsl', block: 'entity.name.function.block.netdsl', variant: 'entity.name.type.variant.netdsl' }[declaration[1]];
        assert.equal(scopeAt(tokens, index, code.indexOf(declaration[2], declaration[1].length)), name, `${file}:${index + 1}`);
        declarations++;
      }
      for (const match of code.matchAll(/(?<![\w.])(\d+x\d+x\d+)\b/g)) {
        assert.equal(scopeAt(tokens, index, match.index), 'constant.numeric.shape.netdsl', `${file}:${index + 1}`);
        shapes++;
      }
      for (const match of code.matchAll(/\b([a-z]+)\(/g)) {
        if (layers.includes(match[1]) && !/\b(let|as)\s+$/.test(code.slice(0, match.index))) {
          assert.equal(scopeAt(tokens, index, match.index), 'support.function.layer.netdsl', `${file}:${index + 1}: ${match[1]}`);
          layerUses++;
        }
      }
    });
    assert.ok(declarations > 0, `${file} has declarations`);
    assert.ok(layerUses > 0, `${file} uses layers`);
    assert.ok(comments > 0, `${file} has comments`);
    assert.ok(shapes > 0 || !/^\s*input\s+\d+x\d+x\d+/m.test(text), `${file} has shapes`);
  });
}

test('every zoo file names at least one block or network that is coloured as a type', () => {
  for (const file of zooFiles) {
    const text = fs.readFileSync(path.join(zoo, file), 'utf8');
    const scopes = new Set(tokenize(text).map(t => t.scopes[t.scopes.length - 1]));
    assert.ok(scopes.has('entity.name.type.network.netdsl') || scopes.has('entity.name.function.block.netdsl'), file);
  }
  assert.deepEqual(scopesOf('conv relu6 bn', 'relu6'), ['support.function.activation.netdsl']);
});
