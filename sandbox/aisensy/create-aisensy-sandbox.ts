import type { FastifyPluginAsync } from 'fastify';
import type { ChatMessage } from './chat-message.js';
import {
  type AisensySandboxKnobs,
  createAisensyWorld,
  type SandboxTemplate,
  type UserMessageInput,
} from './create-aisensy-world.js';
import { phoneRoutes } from './phone-routes.js';
import { providerRoutes } from './provider-routes.js';
import type { WebhookAttempt, WebhookState } from './webhook-sender.js';

export interface AisensySandboxOptions {
  projectId: string;
  projectApiPwd: string;
  apiKey: string;
  /** Where AiSensy posts its project webhooks: our `POST /webhooks/aisensy`. */
  webhookUrl: string;
  webhookSecret: string;
  now?: () => Date;
  templates?: SandboxTemplate[];
  knobs?: Partial<AisensySandboxKnobs>;
  /** Path of the phone page when `phonePlugin` is mounted at the root. */
  phonePath?: string;
  /** The chat title on the phone. */
  businessName?: string;
}

export interface SentFromUser {
  message: ChatMessage;
  /** True once the webhook answered 2xx; false when AiSensy would have given up. */
  delivered: boolean;
}

/** What a test (or the launcher) can do to the outside world beyond HTTP. */
export interface AisensySandboxControl {
  configure(knobs: Partial<AisensySandboxKnobs>): void;
  knobs(): Readonly<AisensySandboxKnobs>;
  registerTemplate(template: SandboxTemplate): void;
  /** The user sends a message; resolves when the webhook is delivered or given up. */
  sendFromUser(input: UserMessageInput): Promise<SentFromUser>;
  /** An agent replies from the AiSensy dashboard: posts `message.created` with `sender: 'AGENT'`. */
  agentEcho(input: { phone: string; text: string; agentName?: string }): Promise<ChatMessage>;
  /** Business messages (session, template, agent) recorded for a phone, oldest first. */
  outbound(phone: string): ChatMessage[];
  /** Every message on a phone, both directions. */
  conversation(phone: string): readonly ChatMessage[];
  /** The next business message to the phone not taken by an earlier call; rejects after the timeout. */
  nextOutbound(phone: string, timeoutMs?: number): Promise<ChatMessage>;
  /** Moves a business message to delivered/read (for `receipts: 'manual'`). */
  setStatus(wamid: string, status: 'delivered' | 'read'): void;
  /** The next business message (to that phone, or any) fails with this code (default 131047). */
  failNext(failure?: { phone?: string; code?: number; details?: string }): void;
  /** Every webhook HTTP attempt so far. */
  deliveries(): readonly WebhookAttempt[];
  /** Whether AiSensy is delivering: active, paused (over 100 failures in 20 minutes) or disabled (a 410). */
  webhookState(): WebhookState;
  /** Turns a paused or disabled webhook back on, as saving it again in AiSensy's dashboard does. */
  enableWebhook(): void;
  /** Waits until every webhook sent so far is delivered or given up. */
  idle(): Promise<void>;
  reset(): void;
}

/**
 * AiSensy + WhatsApp + the user's phone. `plugin` serves AiSensy's APIs (mount it at any prefix, e.g.
 * `/sandbox/aisensy`); `phonePlugin` serves the phone page at `phonePath` (mount it at the root).
 */
export function createAisensySandbox(options: AisensySandboxOptions): {
  plugin: FastifyPluginAsync;
  phonePlugin: FastifyPluginAsync;
  control: AisensySandboxControl;
} {
  const world = createAisensyWorld(options);
  const routes = providerRoutes({ world, ...options });
  const plugin: FastifyPluginAsync = async (app) => {
    app.addHook('onClose', async () => world.close());
    await app.register(routes);
  };
  const phonePlugin = phoneRoutes({
    world,
    path: options.phonePath ?? '/sandbox/phone',
    businessName: options.businessName ?? 'Business',
  });
  const control: AisensySandboxControl = {
    configure: world.configure,
    knobs: world.knobs,
    registerTemplate: world.registerTemplate,
    async sendFromUser(input) {
      const { message, delivered } = world.userSends(input);
      return { message, delivered: await delivered };
    },
    agentEcho: world.agentEcho,
    outbound: world.outbound,
    conversation: world.conversation,
    nextOutbound: world.nextOutbound,
    setStatus: world.setStatus,
    failNext: world.failNext,
    deliveries: world.deliveries,
    webhookState: world.webhookState,
    enableWebhook: world.enableWebhook,
    idle: world.idle,
    reset: world.reset,
  };
  return { plugin, phonePlugin, control };
}
