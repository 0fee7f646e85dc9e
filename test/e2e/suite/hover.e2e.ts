import * as assert from 'node:assert/strict';
import { afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { getReasonCode } from '../../../core/data/catalog';
import { activateExtension, closeAllEditors, hoverText, openFixture, positionOf } from './helpers';

describe('hover', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('explains a ReasonCode value in a response with the catalog message', async () => {
    const catalog = getReasonCode('4e04');
    assert.ok(catalog, '4e04 missing from schemas/reason-codes.json');
    const editor = await openFixture('responses/deactivate-4e04.vip.json');
    const position = positionOf(editor.document, '"ReasonCode": "4e04"', '"ReasonCode": "'.length + 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      position,
    );
    const text = hoverText(hovers);
    assert.ok(text.includes(catalog.message), `hover should contain "${catalog.message}", got: ${text}`);
    assert.ok(text.includes('4e04'), `hover should name the code, got: ${text}`);
  });
});
