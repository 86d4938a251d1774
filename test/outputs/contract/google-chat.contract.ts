import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { GoogleChatMessage } from '../../../src/outputs/google-chat/message.ts';
import { httpContract } from '../../support/contract.ts';

// A webhook URL as Google Chat gives it: the space in the path, the key and the token in the query.
const KEY = 'AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI';
const TOKEN = 'q9Xw3Lk7Rb2Tm5Vn8Pz1Hd4Jf6Gs0Ac-UeIoYt_Wr%3D';
const WEBHOOK = `/v1/spaces/AAAAx1y2z3w/messages?key=${KEY}&token=${TOKEN}`;

export default httpContract({
  service: 'google-chat',
  docs: [
    'https://developers.google.com/workspace/chat/quickstart/webhooks',
    'https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/create',
    'https://cloud.google.com/apis/design/errors#handling_errors',
  ],
  idempotency: 'deduplicated by Google: requestId is the alert id, and a create with a request id already used returns the message it created instead of posting another',
  values: (base) => ({ url: new Secret(base + WEBHOOK) }),
  secrets: [KEY, TOKEN],
  answer: (request) => ({
    status: 200,
    body: { name: 'spaces/AAAAx1y2z3w/messages/kZ3b9QyLm2A.kZ3b9QyLm2A', thread: { name: 'spaces/AAAAx1y2z3w/threads/kZ3b9QyLm2A' }, text: (request.json as GoogleChatMessage).text },
  }),
  authFailure: {
    status: 400,
    body: {
      error: {
        code: 400,
        message: 'API key not valid. Please pass a valid API key.',
        status: 'INVALID_ARGUMENT',
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'chat.googleapis.com' } }],
      },
    },
  },
  rateLimited: { status: 429, body: { error: { code: 429, message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED' } } },
  check(requests, alert) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(`${WEBHOOK}&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD&requestId=${alert.id}`);
    expect(request!.headers['content-type']).toBe('application/json');
    const message = request!.json as GoogleChatMessage;
    expect(Object.keys(message).sort()).toEqual(['text', 'thread']);
    expect(message.thread).toEqual({ threadKey: alert.ruleName });
    expect(message.text).toMatch(new RegExp(`^\\*Rule triggered: ${alert.ruleName}\\*\n`));
    expect(message.text).toContain(`Alert \`${alert.id}\``);
  },
});
