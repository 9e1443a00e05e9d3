import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { temporal } from '@temporalio/proto';

const require = createRequire(import.meta.url);
const requireFromProto = createRequire(require.resolve('@temporalio/proto'));
// @temporalio/common and @temporalio/proto each get a private copy of protobufjs here (the top level
// holds grpc's older major), so the SDK's `historyFromJSON` (common's copy) rejects proto's message
// types as "not a Type". Parsing with proto's own copy of protobufjs reads the same JSON.
const { fromJson } = requireFromProto('protobufjs/ext/protojson') as {
  fromJson: (type: unknown, json: unknown, options: object) => temporal.api.history.v1.IHistory;
};
const { patchProtobufRoot } = require('@temporalio/proto/lib/patch-protobuf-root') as {
  patchProtobufRoot: (root: unknown) => { lookupType: (name: string) => unknown };
};
const historyType = patchProtobufRoot(require('@temporalio/proto')).lookupType(
  'temporal.api.history.v1.History',
);

/** A workflow history as `temporal workflow show --output json` writes it, ready for the replayer. */
export async function readHistoryFile(file: URL): Promise<temporal.api.history.v1.IHistory> {
  // Temporal's JSON norm: tolerate fields a newer server or CLI adds.
  return fromJson(historyType, JSON.parse(await readFile(file, 'utf8')), { ignoreUnknownFields: true });
}
