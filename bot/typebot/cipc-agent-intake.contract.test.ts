/**
 * What Typebot requires of the exported flow, read from Typebot's source (baptisteArno/typebot.io, the
 * v6/v6.1 schemas). Each rule names the file it comes from; no Typebot code is copied here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { TypebotIntake } from '../routes/webhooks/typebot.js';
import { renderTypebotVariables } from './render-typebot-variables.js';

interface Block {
  id: string;
  type: string;
  outgoingEdgeId?: string;
  items?: { id: string; outgoingEdgeId?: string; blockId?: string; content?: unknown }[];
  // biome-ignore lint/suspicious/noExplicitAny: the options are checked field by field below
  options?: any;
}
const flow = JSON.parse(readFileSync(new URL('./cipc-agent-intake.typebot.json', import.meta.url), 'utf8'));
const blocks: Block[] = flow.groups.flatMap((group: { blocks: Block[] }) => group.blocks);
const httpRequests = blocks.filter((block) => block.type === 'Webhook');
const variableNames = new Map<string, string>(
  flow.variables.map((variable: { id: string; name: string }) => [variable.id, variable.name]),
);

describe('cipc-agent-intake.typebot.json as Typebot reads it', () => {
  it('is a v6.1 export with every key an import requires', () => {
    // packages/schemas/src/versions.ts: "6" and "6.1" are the v6 versions, "6.1" the latest.
    assert.equal(flow.version, '6.1');
    // packages/typebot/src/schemas/typebot.ts (typebotV6Schema) less the keys
    // apps/builder/src/features/typebot/api/handleImportTypebot.ts omits or makes optional: these must be
    // present; icon and folderId may be null but not missing; createdAt/updatedAt are coerced to dates.
    for (const key of ['name', 'events', 'groups', 'edges', 'variables', 'theme', 'settings']) {
      assert.ok(flow[key] !== undefined && flow[key] !== null, `${key} is present`);
    }
    for (const key of ['icon', 'folderId']) {
      assert.ok(key in flow, `${key} is present`);
      assert.ok(flow[key] === null || typeof flow[key] === 'string', `${key} is a string or null`);
    }
    for (const key of ['createdAt', 'updatedAt']) {
      assert.ok(!Number.isNaN(new Date(flow[key]).getTime()), `${key} is a date`);
    }
    assert.equal(typeof flow.theme, 'object');
    assert.equal(typeof flow.settings, 'object');
  });

  it('starts with the start event, leading somewhere', () => {
    // packages/typebot/src/schemas/typebot.ts: v6 `events` is a tuple whose first element is the start
    // event (packages/events/src/schemas.ts: id, type "start", graphCoordinates, outgoingEdgeId).
    const [start, ...others] = flow.events;
    assert.equal(start.type, 'start');
    assert.equal(typeof start.id, 'string');
    assert.equal(typeof start.graphCoordinates.x, 'number');
    assert.ok(flow.edges.some((edge: { id: string }) => edge.id === start.outgoingEdgeId));
    assert.ok(others.every((event: { type: string }) => event.type !== 'start'));
  });

  it('uses only Typebot’s block type strings, and no block that waits for an incoming webhook', () => {
    // packages/blocks/bubbles/src/constants.ts ("text"), packages/blocks/inputs/src/constants.ts,
    // packages/blocks/logic/src/constants.ts ("Set variable", "Condition"; "webhook" is the logic block
    // that waits for a call in, and zod strips an HTTP request's options from it),
    // packages/blocks/integrations/src/constants.ts (HTTP_REQUEST = "Webhook").
    const known = [
      'text',
      'text input',
      'email input',
      'phone number input',
      'choice input',
      'Set variable',
      'Condition',
      'Webhook',
    ];
    for (const block of blocks) assert.ok(known.includes(block.type), `${block.id}: "${block.type}"`);
    assert.equal(httpRequests.length, 1, 'one HTTP request block posts the intake');
  });

  it('sends the HTTP request in Typebot’s option shape, from the server, with the custom body', () => {
    // packages/blocks/integrations/src/httpRequest/schema.ts (v6 options: webhook {url, method, headers,
    // queryParams, body}, isCustomBody, isExecutedOnClient, timeout 1..120, responseVariableMapping).
    const [block] = httpRequests as [Block];
    const { webhook, isCustomBody, isExecutedOnClient, timeout, responseVariableMapping } = block.options;
    assert.equal(typeof webhook.url, 'string');
    assert.ok(webhook.url.endsWith('/webhooks/typebot'));
    assert.equal(webhook.method, 'POST');
    assert.equal(typeof webhook.body, 'string');
    for (const pair of [...webhook.headers, ...webhook.queryParams]) {
      assert.deepEqual(Object.keys(pair).sort(), ['id', 'key', 'value']);
    }
    // packages/bot-engine/src/blocks/integrations/httpRequest/executeHttpRequestBlock.ts: without
    // isCustomBody Typebot posts its own record of the answers instead of the body; isExecutedOnClient
    // would make the visitor's browser post it (cross-origin, secret exposed).
    assert.equal(isCustomBody, true);
    assert.equal(isExecutedOnClient, false);
    assert.ok(Number.isInteger(timeout) && timeout >= 1 && timeout <= 120);
    // packages/bot-engine/src/blocks/integrations/httpRequest/saveDataInResponseVariableMapping.ts: each
    // bodyPath is evaluated over {statusCode, data}, data being the parsed answer.
    assert.deepEqual(
      responseVariableMapping.map((m: { variableId: string; bodyPath: string }) => [
        variableNames.get(m.variableId),
        m.bodyPath,
      ]),
      [
        ['botMessage', 'data.message'],
        ['whatsappUrl', 'data.whatsappUrl'],
        ['paymentUrl', 'data.paymentUrl'],
      ],
    );
  });

  it('renders, as Typebot substitutes variables into JSON, a body the service accepts', () => {
    // packages/variables/src/parseVariables.ts: an undeclared {{name}} silently becomes nothing, so every
    // one used must be declared; inside a JSON body a boolean is written bare.
    const [block] = httpRequests as [Block];
    const { webhook } = block.options;
    const used = [webhook.url, webhook.body, ...webhook.headers.map((h: { value: string }) => h.value)]
      .join(' ')
      .matchAll(/\{\{([^{}]+)\}\}/g);
    const declared = new Set(variableNames.values());
    for (const [, name] of used) assert.ok(declared.has(name as string), `{{${name}}} is declared`);
    const values = new Map<string, unknown>([
      ['resultId', 'r1'],
      ['name', 'Thandi "TM" Mokoena'],
      ['phone', '+27825550101'],
      ['email', 'thandi@example.co.za'],
      ['registrationNumber', '2019/123456/07'],
      // Typebot keeps every value as text (updateVariablesInSession.ts): the Set variable's true is "true".
      ['consent', 'true'],
    ]);
    const body = JSON.parse(renderTypebotVariables(webhook.body, values, { insideJson: true }));
    assert.equal(body.consent, true);
    assert.equal(body.name, 'Thandi "TM" Mokoena');
    assert.ok(Value.Check(TypebotIntake, body), JSON.stringify([...Value.Errors(TypebotIntake, body)]));
  });

  it('links only to edges, groups and blocks that exist, in the v6 shapes', () => {
    // packages/typebot/src/schemas/edge.ts: from {eventId} or {blockId, itemId?}, to {groupId, blockId?}.
    const edgeIds = new Set(flow.edges.map((edge: { id: string }) => edge.id));
    const blockIds = new Set(blocks.map((block) => block.id));
    const groupIds = new Set(flow.groups.map((group: { id: string }) => group.id));
    for (const edge of flow.edges) {
      assert.ok(edge.from.eventId || blockIds.has(edge.from.blockId), `${edge.id} comes from something`);
      assert.ok(groupIds.has(edge.to.groupId), `${edge.id} leads to a group`);
      if (edge.to.blockId) assert.ok(blockIds.has(edge.to.blockId), `${edge.id} leads to a block`);
    }
    const ids = [...groupIds, ...blocks.map((block) => block.id)];
    assert.equal(new Set(ids).size, ids.length, 'group and block ids are unique');
    for (const block of blocks) {
      if (block.outgoingEdgeId) assert.ok(edgeIds.has(block.outgoingEdgeId), `${block.id}'s edge exists`);
      for (const item of block.items ?? []) {
        // packages/blocks/base/src/schemas.ts: a v6 item has no blockId.
        assert.equal(item.blockId, undefined);
        if (item.outgoingEdgeId) assert.ok(edgeIds.has(item.outgoingEdgeId), `${item.id}'s edge exists`);
      }
      if (block.options?.variableId) assert.ok(variableNames.has(block.options.variableId));
      if (block.type === 'Condition') {
        // packages/blocks/logic/src/condition/schema.ts: no options; items hold the conditions, whose
        // operators are packages/conditions/src/constants.ts's strings.
        assert.equal(block.options, undefined);
        for (const item of block.items ?? []) {
          const content = item.content as {
            comparisons: { variableId: string; comparisonOperator: string }[];
          };
          for (const comparison of content.comparisons) {
            assert.equal(comparison.comparisonOperator, 'Is set');
            assert.ok(variableNames.has(comparison.variableId));
          }
        }
      }
    }
  });
});
