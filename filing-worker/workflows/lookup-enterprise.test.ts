import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { companies, contacts, conversations } from '../../db/schema.js';
import { EVENT_PAYLOAD_VERSION } from '../../db/store-event.js';
import {
  LOOKUP_ENTERPRISE_WORKFLOW,
  type LookupEnterpriseInput,
  lookupWorkflowId,
} from '../../flows/filing/lookup-enterprise.js';
import { createFilingTestWorld, type FilingTestWorld } from '../testing/filing-test-world.js';

const address = process.env.TEST_TEMPORAL_ADDRESS;

describe('lookupEnterprise on the portal sandbox', { skip: !address && 'no TEST_TEMPORAL_ADDRESS' }, () => {
  let world: FilingTestWorld;
  let conversationId: string;

  before(async () => {
    world = await createFilingTestWorld();
    await world.startWorker();
    const [contact] = await world.db.insert(contacts).values({ phone: '+27820000001' }).returning();
    const [conversation] = await world.db
      .insert(conversations)
      .values({ contactId: contact?.id as string, machineVersion: 1 })
      .returning();
    conversationId = conversation?.id as string;
  });
  after(() => world?.close());

  async function lookUp(registrationNumber: string) {
    const input: LookupEnterpriseInput = { registrationNumber, conversationId };
    const workflowId = lookupWorkflowId(conversationId, registrationNumber, randomUUID());
    await world.client.workflow.execute(LOOKUP_ENTERPRISE_WORKFLOW, {
      taskQueue: world.taskQueue,
      workflowId,
      args: [input],
    });
    const stored = await world.eventsFor(`lookup:${workflowId}`);
    assert.equal(stored.length, 1);
    return stored[0] as Record<string, unknown>;
  }

  const documented = [
    {
      number: '2019/123456/07',
      company: {
        name: 'ACME TRADING (PTY) LTD',
        enterpriseType: 'private-company',
        status: 'in business',
        incorporationDate: '2019-03-14',
        filedYears: [2020, 2021, 2022, 2023, 2024],
        boYear: 2026,
      },
    },
    {
      number: '2008/765432/23',
      company: {
        name: 'KAROO CRAFTS CC',
        enterpriseType: 'close-corporation',
        status: 'in business',
        incorporationDate: '2008-06-02',
        boYear: 2026,
      },
    },
    {
      number: '2016/222222/07',
      company: { name: 'NO BO DECLARED (PTY) LTD', status: 'in business', boYear: 2024 },
    },
    {
      number: '2012/333333/07',
      company: { name: 'GONE FISHING (PTY) LTD', status: 'deregistered', boYear: undefined },
    },
    {
      number: '2017/555555/08',
      company: {
        name: 'UBUNTU CARE NPC',
        enterpriseType: 'npc',
        status: 'ar deregistration process',
        boYear: 2026,
      },
    },
  ];

  for (const { number, company } of documented) {
    it(`stores lookup.found with the register's facts for ${company.name}`, async () => {
      const event = await lookUp(number);
      assert.equal(event.type, 'lookup.found');
      assert.match(String(event.at), /^\d{4}-\d{2}-\d{2}T/);
      const found = event.company as Record<string, unknown>;
      assert.equal(found.registrationNumber, number);
      for (const [key, value] of Object.entries(company)) assert.deepEqual(found[key], value, key);
      const [cached] = await world.db
        .select()
        .from(companies)
        .where(eq(companies.registrationNumber, number));
      assert.equal(cached?.name, company.name);
    });
  }

  it('lists every filed year of KAROO CRAFTS CC up to 2025', async () => {
    const event = await lookUp('2008/765432/23');
    const filed = (event.company as { filedYears: number[] }).filedYears;
    assert.equal(filed.at(-1), 2025);
    assert.ok(!filed.includes(2026));
  });

  it('stores lookup.notFound for a number that is not registered', async () => {
    const event = await lookUp('2099/999999/07');
    assert.deepEqual(
      { ...event, at: undefined },
      {
        type: 'lookup.notFound',
        at: undefined,
        registrationNumber: '2099/999999/07',
        v: EVENT_PAYLOAD_VERSION,
      },
    );
  });

  it('hands an enterprise type it does not know to a person, and caches nothing', async () => {
    const number = '2014/121212/07';
    world.portal.upsertEnterprise({
      number,
      name: 'ODD TYPE (PTY) LTD',
      incorporated: '2014-05-05',
      status: 'In Business',
      filedYears: [2015],
      boDeclarationYears: [2026],
    });
    // The register shows a type the portal's documentation does not list (the sandbox's knob for it).
    world.portal.updateEnterprise(number, { type: 'Trust' } as never);
    const event = await lookUp(number);
    assert.equal(event.type, 'lookup.needsPerson');
    assert.match(String(event.reason), /enterprise type we do not file for: "Trust"/);
    assert.equal(event.company, undefined);
    const cached = await world.db.select().from(companies).where(eq(companies.registrationNumber, number));
    assert.deepEqual(cached, []);
  });

  it('hands a status it does not know to a person', async () => {
    world.portal.updateEnterprise('2015/401122/07', { status: 'In Liquidation' } as never);
    const event = await lookUp('2015/401122/07');
    assert.equal(event.type, 'lookup.needsPerson');
    assert.match(String(event.reason), /status we do not know: "In Liquidation"/);
  });

  it('answers from the cache for ten minutes: a maintenance page does not hide a fresh answer', async () => {
    world.portal.setMaintenance(true);
    try {
      const event = await lookUp('2019/123456/07');
      assert.equal(event.type, 'lookup.found');
    } finally {
      world.portal.setMaintenance(false);
    }
  });

  it('stores lookup.failed within seconds when the portal is down and nothing is cached', async () => {
    world.portal.setMaintenance(true);
    try {
      const started = Date.now();
      const event = await lookUp('2020/654321/07');
      assert.equal(event.type, 'lookup.failed');
      assert.equal(event.registrationNumber, '2020/654321/07');
      assert.match(String(event.reason), /maintenance/);
      assert.ok(Date.now() - started < 15_000);
    } finally {
      world.portal.setMaintenance(false);
    }
  });
});
