import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Config } from '../../../config/load-config.js';
import type { Db } from '../../../db/create-database.js';
import { paymentRequests } from '../../../db/schema.js';
import { formatRand } from '../../../flows/cipc/index.js';
import type { OzowClient } from '../../payments/create-ozow-client.js';
import { payfastCheckoutFields } from '../../payments/payfast-checkout-fields.js';
import { findOrderByToken, type TokenLookup } from './find-order-by-token.js';
import { messagePage } from './html-page.js';
import { payfastRedirectPage, payPage } from './pay-page.js';

export interface PayRoutesOptions {
  db: Db;
  /** Read on every request (a test may learn its public URL only after listening). */
  config: Pick<Config, 'publicBaseUrl' | 'payfast'>;
  ozow: Pick<OzowClient, 'requestPayment'>;
  now?: () => Date;
}

const Params = Type.Object({ token: Type.String({ minLength: 1, maxLength: 128 }) });
const Html = Type.String();
const htmlResponses = { 200: Html, 404: Html, 409: Html, 410: Html, 502: Html };

function send(reply: FastifyReply, status: number, html: string) {
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

/** Answers the page for a link that cannot be paid; undefined when it can. */
function unpayable(reply: FastifyReply, lookup: TokenLookup) {
  switch (lookup.state) {
    case 'payable':
      return undefined;
    case 'unknown':
      return send(
        reply,
        404,
        messagePage('Payment link not found', [
          'This payment link is not valid. Please use the latest link we sent you on WhatsApp, or reply "help" in the chat.',
        ]),
      );
    case 'expired':
      return send(
        reply,
        410,
        messagePage('This payment link has expired', [
          'Nothing was charged. Message us on WhatsApp and we will send you a new link with an up-to-date quote.',
        ]),
      );
    case 'paid':
      return send(
        reply,
        409,
        messagePage('Already paid', [
          `We received your payment of ${formatRand(lookup.order.amountCents)} for ${lookup.order.companyName}; you will not be charged again.`,
          'We are filing with CIPC and will keep you posted on WhatsApp.',
        ]),
      );
    case 'closed':
      return send(
        reply,
        409,
        messagePage('A person is looking at this order', [
          'This order cannot be paid online right now. One of our team will contact you on WhatsApp.',
        ]),
      );
  }
}

/**
 * The pay link the bot sends (`/pay/:token`): the page with the amounts, the two ways to pay, and the pages
 * the providers send the buyer back to. Whether an order is paid is decided only by verified provider
 * notifications, never by these pages.
 */
/** What the pay link and the provider's return both show once the order is paid. */
function paymentReceivedPage(order: { amountCents: number; companyName: string }): string {
  return messagePage('Payment received', [
    `Thank you: ${formatRand(order.amountCents)} for ${order.companyName} is paid.`,
    'We are filing your annual returns with CIPC and will send every step to you on WhatsApp.',
  ]);
}

export const payRoutes: FastifyPluginAsync<PayRoutesOptions> = async (app, options) => {
  const now = options.now ?? (() => new Date());
  const pathOf = (token: string) => `/pay/${encodeURIComponent(token)}`;

  app.addHook('onSend', async (_request, reply) => {
    // The token is a bearer credential: keep it out of caches and out of the providers' Referer logs.
    reply.header('cache-control', 'no-store');
    reply.header('referrer-policy', 'no-referrer');
  });

  app.get<{ Params: { token: string } }>(
    '/pay/:token',
    { schema: { params: Params, response: { 200: Html, 404: Html, 410: Html, 409: Html } } },
    async (request, reply) => {
      const lookup = await findOrderByToken(options.db, request.params.token, now());
      if (lookup.state === 'paid') {
        return send(reply, 200, paymentReceivedPage(lookup.order));
      }
      if (lookup.state !== 'payable') return unpayable(reply, lookup);
      return send(reply, 200, payPage(lookup.order, pathOf(request.params.token)));
    },
  );

  app.get<{ Params: { token: string } }>(
    '/pay/:token/payfast',
    { schema: { params: Params, response: htmlResponses } },
    async (request, reply) => {
      const lookup = await findOrderByToken(options.db, request.params.token, now());
      if (lookup.state !== 'payable') return unpayable(reply, lookup);
      const { order } = lookup;
      const base = `${options.config.publicBaseUrl}${pathOf(request.params.token)}`;
      const { payfast } = options.config;
      const fields = payfastCheckoutFields(payfast, {
        reference: order.reference,
        amountCents: order.amountCents,
        itemName: `CIPC annual returns ${order.reference}`,
        itemDescription: `${order.companyName} (${order.registrationNumber}): ${order.years.map((y) => y.year).join(', ')}`,
        returnUrl: `${base}/return?provider=payfast`,
        cancelUrl: `${base}/cancelled?provider=payfast`,
        notifyUrl: `${options.config.publicBaseUrl}/webhooks/payfast`,
      });
      await options.db.insert(paymentRequests).values({ orderId: order.id, provider: 'payfast' });
      return send(reply, 200, payfastRedirectPage(`${payfast.url.replace(/\/$/, '')}/eng/process`, fields));
    },
  );

  app.get<{ Params: { token: string } }>(
    '/pay/:token/ozow',
    { schema: { params: Params, response: { ...htmlResponses, 302: Type.Null() } } },
    async (request, reply) => {
      const lookup = await findOrderByToken(options.db, request.params.token, now());
      if (lookup.state !== 'payable') return unpayable(reply, lookup);
      const { order } = lookup;
      const base = `${options.config.publicBaseUrl}${pathOf(request.params.token)}`;
      let payment: { paymentRequestId: string; url: string };
      try {
        payment = await options.ozow.requestPayment({
          reference: order.reference,
          amountCents: order.amountCents,
          successUrl: `${base}/return?provider=ozow`,
          cancelUrl: `${base}/cancelled?provider=ozow`,
          errorUrl: `${base}/cancelled?provider=ozow&reason=error`,
          notifyUrl: `${options.config.publicBaseUrl}/webhooks/ozow`,
        });
      } catch (err) {
        request.log.warn({ err, orderId: order.id }, 'Ozow payment request failed');
        return send(
          reply,
          502,
          messagePage(
            'Ozow is not available right now',
            ['Nothing was charged. Please try again in a few minutes, or pay by card or EFT with PayFast.'],
            { href: pathOf(request.params.token), label: 'Back to payment options' },
          ),
        );
      }
      await options.db.insert(paymentRequests).values({
        orderId: order.id,
        provider: 'ozow',
        providerRequestId: payment.paymentRequestId,
      });
      return reply.redirect(payment.url, 302);
    },
  );

  app.get<{ Params: { token: string } }>(
    '/pay/:token/return',
    { schema: { params: Params, response: { 200: Html, 404: Html } } },
    async (request, reply) => {
      const lookup = await findOrderByToken(options.db, request.params.token, now());
      if (lookup.state === 'unknown') return unpayable(reply, lookup);
      if (lookup.state === 'paid') {
        return send(reply, 200, paymentReceivedPage(lookup.order));
      }
      return send(
        reply,
        200,
        messagePage('Thank you', [
          'We are confirming your payment with the payment provider. As soon as it is confirmed you get a WhatsApp message and we start filing with CIPC; this usually takes a minute or two.',
          'You can close this page.',
        ]),
      );
    },
  );

  app.get<{ Params: { token: string }; Querystring: { reason?: string } }>(
    '/pay/:token/cancelled',
    {
      schema: {
        params: Params,
        querystring: Type.Object({ reason: Type.Optional(Type.String()) }),
        response: { 200: Html, 404: Html },
      },
    },
    async (request, reply) => {
      const lookup = await findOrderByToken(options.db, request.params.token, now());
      if (lookup.state === 'unknown') return unpayable(reply, lookup);
      const failed = request.query.reason === 'error';
      return send(
        reply,
        200,
        messagePage(
          failed ? 'The payment did not go through' : 'Payment cancelled',
          [
            'No payment was taken and nothing has been filed.',
            lookup.state === 'payable'
              ? 'You can try again with either payment method while the link is valid.'
              : 'Message us on WhatsApp if you need help.',
          ],
          lookup.state === 'payable'
            ? { href: pathOf(request.params.token), label: 'Back to payment options' }
            : undefined,
        ),
      );
    },
  );
};
