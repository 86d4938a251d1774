import { HttpClient } from './http/client.ts';
import { AwsClients } from '../aws/clients.ts';
import { PooledClients } from './pooled-clients.ts';
import type { DeliveryReferences, OutputContext } from './output.ts';

export interface OutputContextOptions {
  /** Per request, for HTTP and AWS calls alike. Default 10 s. */
  timeoutMs?: number;
  region?: string;
  /** Where relative paths in output settings point from: the project folder. Default: cwd. */
  projectDir?: string;
  /** Where outputs read earlier deliveries' references: the alert store the context delivers from. */
  deliveries?: DeliveryReferences;
}

/** A context with its own HTTP pools and AWS clients; `close` when done with it. */
export function createOutputContext(options: OutputContextOptions = {}): OutputContext & { close(): Promise<void> } {
  const http = new HttpClient({ timeoutMs: options.timeoutMs });
  const aws = new AwsClients({ timeoutMs: options.timeoutMs, region: options.region });
  const pools = new PooledClients();
  return {
    http,
    aws,
    pools,
    projectDir: options.projectDir ?? process.cwd(),
    ...(options.deliveries && { deliveries: options.deliveries }),
    async close() {
      aws.destroy();
      await Promise.all([http.close(), pools.close()]);
    },
  };
}
