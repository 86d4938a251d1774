import { inject } from 'vitest';

// Every test process talks to moto, never to real AWS: fixed fake credentials, one region,
// and the endpoint of the moto_server started in global-setup.ts.
const endpoint = inject('motoEndpoint');
process.env.AWS_ACCESS_KEY_ID = 'testing';
process.env.AWS_SECRET_ACCESS_KEY = 'testing';
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_ENDPOINT_URL = endpoint || 'http://127.0.0.1:9';
delete process.env.AWS_PROFILE;
