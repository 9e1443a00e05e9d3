import { renderTypebotVariables } from './render-typebot-variables.js';

/**
 * Plays an exported Typebot flow the way Typebot's engine (baptisteArno/typebot.io, packages/bot-engine)
 * does, for the flow tests: from the start event along the edges, each group's blocks in order; a block's
 * (or a chosen item's) outgoing edge moves to its target, otherwise the next block runs and a group's end
 * is the bot's end. Input blocks take the scripted answers in turn and the run stops, waiting, at an input
 * with no answer left. HTTP requests really go out (fetch), so the service under test answers them.
 *
 * Only the block types and options this project's flow uses are played; anything else throws rather
 * than being skipped, so a flow this helper cannot play faithfully fails its test. In particular the
 * lowercase `webhook` block (Typebot's logic block that waits for an incoming call) throws.
 */
export interface TypebotFlow {
  events: { type: string; outgoingEdgeId?: string }[];
  groups: TypebotGroup[];
  edges: TypebotEdge[];
  variables: { id: string; name: string }[];
}
interface TypebotGroup {
  id: string;
  blocks: TypebotBlock[];
}
interface TypebotEdge {
  id: string;
  to: { groupId: string; blockId?: string };
}
interface TypebotItem {
  id: string;
  outgoingEdgeId?: string;
  content?: unknown;
}
interface KeyValue {
  key?: string;
  value?: string;
}
interface RichTextNode {
  text?: string;
  children?: RichTextNode[];
}
interface TypebotBlock {
  id: string;
  type: string;
  outgoingEdgeId?: string;
  items?: TypebotItem[];
  content?: { richText?: RichTextNode[] };
  options?: {
    variableId?: string;
    type?: string;
    expressionToEvaluate?: string;
    isCustomBody?: boolean;
    isExecutedOnClient?: boolean;
    webhook?: {
      url?: string;
      method?: string;
      headers?: KeyValue[];
      queryParams?: KeyValue[];
      body?: string;
    };
    responseVariableMapping?: { variableId?: string; bodyPath?: string }[];
  };
}
interface Comparison {
  variableId?: string;
  comparisonOperator?: string;
}

export interface TypebotHttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}
export interface TypebotHttpResponse {
  statusCode: number;
  data: unknown;
}
export interface TypebotFlowRun {
  /** The bubbles' texts in the order the visitor sees them (one string per bubble, paragraphs on lines). */
  shown: string[];
  requests: { request: TypebotHttpRequest; response: TypebotHttpResponse }[];
  /** The input block the bot now waits at, or undefined when the flow ended. */
  waitingAt?: string;
  /** Variable values by name. */
  values: Map<string, unknown>;
}

const MAX_BLOCKS = 500;

export async function runTypebotFlow(
  flow: TypebotFlow,
  { answers, resultId }: { answers: string[]; resultId: string },
): Promise<TypebotFlowRun> {
  const pending = [...answers];
  const valuesById = new Map<string, unknown>();
  const run: TypebotFlowRun = { shown: [], requests: [], values: new Map() };
  const valuesByName = () =>
    new Map(flow.variables.map((variable) => [variable.name, valuesById.get(variable.id)]));
  const setVariable = (variableId: string | undefined, value: unknown) => {
    if (!variableId) return;
    if (!flow.variables.some((variable) => variable.id === variableId))
      throw new Error(`variable ${variableId} is not declared`);
    // packages/bot-engine/src/updateVariablesInSession.ts stores every value as text: a string as it
    // is, anything else as its JSON, and nothing (undefined, null, '') as null.
    valuesById.set(
      variableId,
      value === undefined || value === null || value === ''
        ? null
        : typeof value === 'string'
          ? value
          : JSON.stringify(value),
    );
  };
  const edgeTarget = (edgeId: string) => {
    const edge = flow.edges.find((candidate) => candidate.id === edgeId);
    if (!edge) throw new Error(`edge ${edgeId} does not exist`);
    return edge.to;
  };

  // Typebot v6: the start event is the first event (packages/typebot/src/schemas/typebot.ts).
  const start = flow.events[0];
  if (start?.type !== 'start' || !start.outgoingEdgeId) throw new Error('the flow has no start event first');
  let position: { groupId: string; blockId?: string } | undefined = edgeTarget(start.outgoingEdgeId);
  let played = 0;
  while (position) {
    const target: { groupId: string; blockId?: string } = position;
    position = undefined;
    const group = flow.groups.find((candidate) => candidate.id === target.groupId);
    if (!group) throw new Error(`group ${target.groupId} does not exist`);
    const first = target.blockId ? group.blocks.findIndex((block) => block.id === target.blockId) : 0;
    if (first < 0) throw new Error(`block ${target.blockId} is not in group ${group.id}`);
    for (const block of group.blocks.slice(first)) {
      if (++played > MAX_BLOCKS) throw new Error('the flow loops without waiting for the visitor');
      const next = await play(block);
      if (next === 'wait') {
        run.waitingAt = block.id;
        run.values = valuesByName();
        return run;
      }
      if (next) {
        position = edgeTarget(next);
        break;
      }
    }
  }
  run.values = valuesByName();
  return run;

  /** Plays one block: the edge to follow, 'wait' for a missing answer, or undefined to go on. */
  async function play(block: TypebotBlock): Promise<string | 'wait' | undefined> {
    switch (block.type) {
      case 'text':
        run.shown.push(
          (block.content?.richText ?? [])
            .map((paragraph) => renderTypebotVariables(leafText(paragraph), valuesByName()))
            .join('\n'),
        );
        return block.outgoingEdgeId;
      case 'text input':
      case 'email input':
      case 'phone number input': {
        const answer = pending.shift();
        if (answer === undefined) return 'wait';
        // Typebot stores a phone number as libphonenumber's E.164 (packages/bot-engine/src/blocks/inputs/
        // phone/formatPhoneNumber.ts); this helper has no libphonenumber, so the script gives it that way.
        if (block.type === 'phone number input' && !/^\+[1-9]\d{7,14}$/.test(answer))
          throw new Error(`script phone answers in E.164, as Typebot stores them: ${answer}`);
        setVariable(block.options?.variableId, answer);
        return block.outgoingEdgeId;
      }
      case 'choice input': {
        const answer = pending.shift();
        if (answer === undefined) return 'wait';
        const item = block.items?.find((candidate) => candidate.content === answer);
        if (!item) throw new Error(`block ${block.id} offers no "${answer}"`);
        setVariable(block.options?.variableId, item.content);
        return item.outgoingEdgeId ?? block.outgoingEdgeId;
      }
      case 'Set variable':
        setVariable(block.options?.variableId, evaluateSetVariable(block));
        return block.outgoingEdgeId;
      case 'Webhook':
        await sendHttpRequest(block);
        return block.outgoingEdgeId;
      case 'Condition': {
        // packages/bot-engine/src/blocks/logic/condition: the first item whose condition holds takes its
        // edge; none holding takes the block's own edge (the "else").
        const passed = block.items?.find((item) => conditionHolds(item.content));
        return passed ? passed.outgoingEdgeId : block.outgoingEdgeId;
      }
      default:
        throw new Error(`block ${block.id} of type "${block.type}" is not one this helper plays`);
    }
  }

  function evaluateSetVariable(block: TypebotBlock): unknown {
    const options = block.options ?? {};
    if (options.type === 'Result ID') return resultId;
    // A Custom value is evaluated as JavaScript on the server (executeSetVariable.ts); only the literals
    // the flow uses are played.
    if ((options.type === undefined || options.type === 'Custom') && options.isExecutedOnClient !== true) {
      if (options.expressionToEvaluate === 'true') return true;
      if (options.expressionToEvaluate === 'false') return false;
    }
    throw new Error(`Set variable ${block.id} is not one this helper plays`);
  }

  function conditionHolds(content: unknown): boolean {
    const { logicalOperator, comparisons } = (content ?? {}) as {
      logicalOperator?: string;
      comparisons?: Comparison[];
    };
    if (!comparisons?.length) return false;
    const holds = (comparison: Comparison) => {
      if (comparison.comparisonOperator !== 'Is set')
        throw new Error(`comparison "${comparison.comparisonOperator}" is not one this helper plays`);
      const value = comparison.variableId ? valuesById.get(comparison.variableId) : undefined;
      // packages/conditions/src/executeCondition.ts: "Is set" is defined with a length above zero.
      return value !== undefined && value !== null && ((value as { length?: number }).length ?? 0) > 0;
    };
    return (logicalOperator ?? 'AND') === 'AND' ? comparisons.every(holds) : comparisons.some(holds);
  }

  // packages/bot-engine/src/blocks/integrations/httpRequest/executeHttpRequestBlock.ts
  async function sendHttpRequest(block: TypebotBlock) {
    const options = block.options ?? {};
    const webhook = options.webhook;
    if (!webhook?.url) return;
    if (options.isExecutedOnClient) throw new Error('this request would be sent by the browser, not Typebot');
    // Without a custom body Typebot posts its own record of the answers instead of the body.
    if (options.isCustomBody !== true || !webhook.body)
      throw new Error('the request does not post its custom body');
    if (webhook.queryParams?.length) throw new Error('query parameters are not played');
    const values = valuesByName();
    const headers: Record<string, string> = {};
    for (const header of webhook.headers ?? []) {
      const key = renderTypebotVariables(header.key ?? '', values);
      const value = renderTypebotVariables(header.value ?? '', values);
      if (key && value) headers[key] = value;
    }
    const rendered = renderTypebotVariables(webhook.body, values, {
      insideJson: !/^{{.+}}$/.test(webhook.body),
    });
    const request: TypebotHttpRequest = {
      url: renderTypebotVariables(webhook.url, values),
      method: webhook.method ?? 'POST',
      headers,
      body: parseJson(rendered) ?? rendered,
    };
    const response = await fetchLikeTypebot(request);
    run.requests.push({ request, response });
    // saveDataInResponseVariableMapping.ts: every mapping is evaluated as a JavaScript expression over
    // `statusCode` and `data`, whatever the status; a value that is not there empties its variable,
    // and an expression that throws leaves its variable as it was.
    for (const mapping of options.responseVariableMapping ?? []) {
      if (!mapping.bodyPath || !mapping.variableId) continue;
      const path = renderTypebotVariables(mapping.bodyPath, values);
      if (!/^(statusCode|data)(\.[A-Za-z_$][\w$]*)*$/.test(path))
        throw new Error(`response mapping "${path}" is not a property path this helper plays`);
      const [root, ...keys] = path.split('.');
      let value: unknown = root === 'data' ? response.data : response.statusCode;
      let failed = false;
      for (const key of keys) {
        if (value === undefined || value === null) {
          failed = true;
          break;
        }
        value = (value as Record<string, unknown>)[key];
      }
      if (!failed) setVariable(mapping.variableId, value);
    }
  }
}

/**
 * A failure to reach the service answers 500 with the error described and no `message`
 * (executeHttpRequestBlock.ts, packages/lib/src/parseUnknownError.ts).
 */
async function fetchLikeTypebot(request: TypebotHttpRequest): Promise<TypebotHttpResponse> {
  try {
    const reply = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: typeof request.body === 'string' ? request.body : JSON.stringify(request.body),
    });
    const text = await reply.text();
    return { statusCode: reply.status, data: parseJson(text) ?? text };
  } catch (error) {
    const { message, cause } = error as Error;
    return {
      statusCode: 500,
      data: {
        context: 'Unknown error while executing HTTP request',
        description: `[${cause instanceof Error ? cause.message : cause}] ${message}`,
      },
    };
  }
}

function leafText(node: RichTextNode): string {
  return (node.text ?? '') + (node.children ?? []).map(leafText).join('');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
