import { ECSClient } from '@aws-sdk/client-ecs';
import { startHttpServer, type TestServer } from '@slipway/testing';
import { createEcsApi } from '../src/ecs/ecs-api';
import { isBug, toError } from '../src/errors';
import { isTransient } from '../src/retry';

// Non-JSON answers (class 18 of issue 17): a real HTTP server speaks to the unmodified @aws-sdk/client-ecs
// through createEcsApi, as a proxy, a load balancer or an emulator would answer instead of AWS.
type Answer = { status: number; type?: string; body: string };
const JSON_OK: Answer = {
  status: 200,
  type: 'application/x-amz-json-1.1',
  body: JSON.stringify({ services: [{ serviceName: 'web', status: 'ACTIVE' }], failures: [] }),
};

let server: TestServer;
let script: Answer[] = [];
beforeAll(async () => {
  server = await startHttpServer(async (req, res) => {
    for await (const _ of req);
    const answer = script.shift() ?? JSON_OK;
    res.writeHead(answer.status, answer.type ? { 'content-type': answer.type } : {});
    res.end(answer.body);
  });
});
afterAll(() => server.close());

function api() {
  const log: string[] = [];
  const client = new ECSClient({
    endpoint: server.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  const ecs = createEcsApi({ region: 'eu-west-1', retryBaseDelayMs: 1, log: (l) => log.push(l) }, client);
  return { ecs, log, client };
}

const html = (status: number, title: string): Answer => ({
  status,
  type: 'text/html; charset=utf-8',
  body: `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`,
});

describe('non-JSON answers from AWS endpoints', () => {
  it('retries an HTML 5xx page as transient, naming the status in the log, and goes on', async () => {
    script = [html(503, '503 Service Unavailable'), html(502, '502 Bad Gateway')];
    const { ecs, log } = api();
    const [service] = await ecs.describeServices('default', ['web']);
    expect(service.serviceName).toBe('web');
    expect(log).toEqual([
      expect.stringMatching(/^ecs:DescribeServices - HTTP 503 \(not AWS JSON\); try 2 in \d+ms$/),
      expect.stringMatching(/^ecs:DescribeServices - HTTP 502 \(not AWS JSON\); try 3 in \d+ms$/),
    ]);
  });

  it.each<[string, Answer[], RegExp, boolean]>([
    [
      'an HTML 5xx page that lasts: its status and title, after the retries',
      Array(6).fill(html(504, '504 Gateway Time-out')),
      /^ecs:DescribeServices: AWS answered HTTP 504 with text\/html, not AWS JSON: "504 Gateway Time-out"\. Something between/,
      true,
    ],
    [
      'an XML error body: the AWS error it names, with the status',
      [
        {
          status: 400,
          type: 'text/xml',
          body: '<?xml version="1.0"?>\n<ErrorResponse><Error><Code>InvalidAction</Code><Message>Could not find operation DescribeServices for version 2014-11-13</Message></Error></ErrorResponse>',
        },
      ],
      /^ECS refused ecs:DescribeServices \(InvalidAction: HTTP 400 with text\/xml, not AWS JSON: Could not find operation DescribeServices/,
      false,
    ],
    [
      'an XML AccessDenied: said as access denied, with the permission to add',
      [
        {
          status: 403,
          type: 'application/xml',
          body: '<Error><Code>AccessDenied</Code><Message>Blocked &amp; logged</Message></Error>',
        },
      ],
      /^Access denied on ecs:DescribeServices \(AccessDenied: HTTP 403 with application\/xml, not AWS JSON: Blocked & logged\)\. .*add ecs:DescribeServices/,
      false,
    ],
    [
      'a 200 page from a captive portal: the first line of text, not retried',
      [{ status: 200, type: 'text/plain', body: '\n\n  Please sign in to the guest network\nsecond line' }],
      /^ecs:DescribeServices: AWS answered HTTP 200 with text\/plain, not AWS JSON: "Please sign in to the guest network"\./,
      false,
    ],
  ])('classifies %s; never a bug', async (_name, answers, message, transient) => {
    script = [...answers];
    const { ecs, log } = api();
    const before = server.requests;
    const error = toError(await ecs.describeServices('default', ['web']).catch((e) => e));
    expect(error.message).toMatch(message);
    expect(isBug(error)).toBe(false);
    expect(server.requests - before).toBe(transient ? 6 : 1);
    expect(log).toHaveLength(transient ? 5 : 0);
    script = [];
  });

  it.each<[string, Answer]>([
    [
      '501 InternalFailure (LocalStack)',
      {
        status: 501,
        type: 'application/x-amz-json-1.1',
        body: '{"__type":"InternalFailure","message":"not yet implemented"}',
      },
    ],
    ['an HTML 404 page', html(404, '404 Not Found')],
  ])(
    'takes DescribeServiceDeployments as not offered at once on %s: no retry, one notice',
    async (_n, answer) => {
      script = [answer];
      const notices: string[] = [];
      const client = new ECSClient({
        endpoint: server.url,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
        maxAttempts: 1,
      });
      const ecs = createEcsApi(
        { region: 'eu-west-1', retryBaseDelayMs: 1, log: () => {}, notice: (m) => notices.push(m) },
        client,
      );
      const before = server.requests;
      expect(
        await ecs.describeServiceDeployment('arn:aws:ecs:eu-west-1:1:service-deployment/c/s/1'),
      ).toBeUndefined();
      expect(
        await ecs.describeServiceDeployment('arn:aws:ecs:eu-west-1:1:service-deployment/c/s/1'),
      ).toBeUndefined();
      expect(server.requests - before).toBe(1);
      expect(notices).toEqual([
        expect.stringMatching(/^ecs:DescribeServiceDeployments is not available .*DescribeServices alone/),
      ]);
    },
  );

  it('leaves JSON answers to the SDK: an AWS JSON error is still itself', async () => {
    script = [
      {
        status: 400,
        type: 'application/x-amz-json-1.1',
        body: '{"__type":"ClusterNotFoundException","message":"Cluster not found."}',
      },
    ];
    const { ecs } = api();
    const error = await ecs.describeServices('nope', ['web']).catch((e) => e);
    expect(error.message).toMatch(
      /^ECS refused ecs:DescribeServices \(ClusterNotFoundException: Cluster not found/,
    );
    expect(isTransient(error)).toBe(false);
  });
});
