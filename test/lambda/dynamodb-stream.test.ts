import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/project.ts';
import { alertProcessor, rulesEngine } from '../../src/lambda/handlers.ts';
import { noMoto } from '../support/moto.ts';
import { cloudtrailEvent } from '../support/rules-project.ts';
import { dynamoDbStreamEvent } from './support/events.ts';
import { lambdaProject, type LambdaProject } from './support/lambda-project.ts';

const MINUTE = { getRemainingTimeInMillis: () => 60_000 };

// DynamoDB stream events: https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
describe.skipIf(noMoto)('the alert processor triggered by the alerts table stream, against moto', () => {
  let project: LambdaProject;
  let table: string;
  beforeAll(async () => {
    project = await lambdaProject('dynamodb');
    table = `${loadProject(project.dir).global.account.prefix}_streamalert_alerts`;
  });
  afterAll(() => project.close());

  /** Stores one alert per event name through the rules engine; returns their ids by event name. */
  async function storeAlerts(...eventNames: string[]): Promise<Record<string, string>> {
    await rulesEngine({ log_type: 'cloudtrail', records: eventNames.map((eventName) => ({ Records: [cloudtrailEvent({ eventName })] })) });
    return Object.fromEntries((await project.stored()).map(({ alert }) => [alert.record.eventName, alert.id]));
  }
  const messagesAbout = (eventName: string) => project.slack.requests.filter((request) => JSON.stringify(request.json).includes(eventName)).length;

  it("delivers only the new alerts' deliveries the event names, and leaves the others to the sweeper", async () => {
    const ids = await storeAlerts('StreamedRoot', 'LeftForSweeperRoot');
    const event = dynamoDbStreamEvent(table, [
      { alertId: ids.StreamedRoot!, output: '#alert' },
      { alertId: ids.StreamedRoot!, output: 'slack:sec-alerts' },
    ]);

    expect(await alertProcessor(event, MINUTE)).toEqual({ alerts: 1, deliveries: { 'slack:sec-alerts': { delivered: 1, failed: 0 } } });
    expect([messagesAbout('StreamedRoot'), messagesAbout('LeftForSweeperRoot')]).toEqual([1, 0]);

    expect(await alertProcessor({ 'detail-type': 'Scheduled Event', source: 'aws.events' }, MINUTE)).toEqual({
      deliveries: { 'slack:sec-alerts': { delivered: 1, failed: 0 } },
      pending: {},
    });
    expect([messagesAbout('StreamedRoot'), messagesAbout('LeftForSweeperRoot')]).toEqual([1, 1]);
  });

  it('sends a delivery once when the stream processor and the sweeper race for it', async () => {
    const ids = await storeAlerts('RacedRoot');
    const event = dynamoDbStreamEvent(table, [{ alertId: ids.RacedRoot!, output: '#alert' }]);

    const [streamed, swept] = await Promise.all([alertProcessor(event, MINUTE), alertProcessor({}, MINUTE)]);

    expect(messagesAbout('RacedRoot')).toBe(1);
    const delivered = [streamed, swept].map((result) => result.deliveries['slack:sec-alerts']?.delivered ?? 0);
    expect(delivered.sort()).toEqual([0, 1]);
  });

  it('does nothing for records that insert no alert: attempts recorded (MODIFY), expired items (REMOVE), merge windows', async () => {
    const ids = await storeAlerts('ModifiedRoot');
    const event = dynamoDbStreamEvent(table, [
      { alertId: ids.ModifiedRoot!, output: 'slack:sec-alerts' },
      { alertId: 'merge#window#0193', output: '#merge' },
    ]);
    event.Records[0]!.eventName = 'MODIFY' as 'INSERT';

    expect(await alertProcessor(event, MINUTE)).toEqual({ alerts: 0, deliveries: {} });
    expect(messagesAbout('ModifiedRoot')).toBe(0);
  });
});
