import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { findEqualRevision, readTaskDefinitionFile } from '../src/render/base-definition';
import {
  diffDefinitions,
  normalise,
  sameDefinition,
  type TaskDefinitionInput,
} from '../src/render/normalise';
import { type Overrides, renderTaskDefinition } from '../src/render/render';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const base = (): TaskDefinitionInput => ({
  family: 'app',
  cpu: '256',
  memory: '512',
  networkMode: 'awsvpc',
  containerDefinitions: [
    {
      name: 'web',
      image: 'repo/web:1',
      environment: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      secrets: [{ name: 'DB', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/db' }],
      portMappings: [{ containerPort: 8080 }],
    },
    { name: 'sidecar', image: 'repo/sidecar:1', essential: false },
  ],
});
const none: Overrides = {
  images: [],
  environment: [],
  secrets: [],
  dockerLabels: [],
  cpu: { containers: [] },
  memory: { containers: [] },
};
const web = (def: TaskDefinitionInput) => def.containerDefinitions!.find((c) => c.name === 'web')!;
const sidecar = (def: TaskDefinitionInput) => def.containerDefinitions!.find((c) => c.name === 'sidecar')!;

describe('renderTaskDefinition', () => {
  it.each<[string, Partial<Overrides>, (def: TaskDefinitionInput) => unknown, unknown]>([
    [
      'sets an image by digest',
      { images: [{ container: 'web', image: `repo/web@${DIGEST}` }] },
      (d) => web(d).image,
      `repo/web@${DIGEST}`,
    ],
    [
      'leaves the other container alone',
      { images: [{ container: 'web', image: `repo/web@${DIGEST}` }] },
      (d) => sidecar(d).image,
      'repo/sidecar:1',
    ],
    [
      'upserts environment, keeping order and values with =',
      {
        environment: [
          { container: 'web', key: 'B', value: 'x=y=z' },
          { container: 'web', key: 'C', value: '3' },
        ],
      },
      (d) => web(d).environment,
      [
        { name: 'A', value: '1' },
        { name: 'B', value: 'x=y=z' },
        { name: 'C', value: '3' },
      ],
    ],
    [
      'adds environment to a container that has none',
      { environment: [{ container: 'sidecar', key: 'MODE', value: 'on' }] },
      (d) => sidecar(d).environment,
      [{ name: 'MODE', value: 'on' }],
    ],
    [
      'upserts secrets as valueFrom',
      {
        secrets: [
          { container: 'web', key: 'DB', value: 'arn:new' },
          { container: 'web', key: 'API', value: 'arn:api' },
        ],
      },
      (d) => web(d).secrets,
      [
        { name: 'DB', valueFrom: 'arn:new' },
        { name: 'API', valueFrom: 'arn:api' },
      ],
    ],
    [
      'sets docker labels whose values contain =',
      { dockerLabels: [{ container: 'web', key: 'traefik.rule', value: 'Host(`a`) && Query(`x=1`)' }] },
      (d) => web(d).dockerLabels,
      { 'traefik.rule': 'Host(`a`) && Query(`x=1`)' },
    ],
    [
      'overrides cpu and memory of a container and of the task',
      {
        cpu: { task: 1024, containers: [{ container: 'web', value: 512 }] },
        memory: { task: 2048, containers: [{ container: 'sidecar', value: 128 }] },
      },
      (d) => [d.cpu, d.memory, web(d).cpu, sidecar(d).memory],
      ['1024', '2048', 512, 128],
    ],
  ])('%s', (_name, overrides, pick, expected) => {
    const before = base();
    const rendered = renderTaskDefinition(before, { ...none, ...overrides });
    expect(pick(rendered)).toEqual(expected);
    expect(before).toEqual(base()); // the base is not modified
  });

  it('strips the read-only fields of a described definition', () => {
    const described = {
      ...base(),
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/app:3',
      revision: 3,
      status: 'ACTIVE',
      requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
      compatibilities: ['EC2', 'FARGATE'],
      registeredAt: new Date(),
      registeredBy: 'arn:aws:iam::123456789012:user/me',
      deregisteredAt: new Date(),
    } as TaskDefinition;
    const rendered = renderTaskDefinition(described as TaskDefinitionInput, none);
    expect(rendered).toEqual(base());
  });

  it.each<[string, Partial<Overrides>, RegExp]>([
    [
      'an unknown container',
      { images: [{ container: 'api', image: 'x' }] },
      /Input "images" names the container "api".*it has web, sidecar/,
    ],
    [
      'no container with several',
      { environment: [{ key: 'A', value: '1' }] },
      /Input "environment" must name the container \(container:KEY=VALUE\): the task definition has 2 containers/,
    ],
  ])('refuses %s', (_name, overrides, message) => {
    expect(() => renderTaskDefinition(base(), { ...none, ...overrides })).toThrow(message);
  });

  it('applies an unnamed setting to the only container', () => {
    const single = { family: 'one', containerDefinitions: [{ name: 'app', image: 'x' }] };
    expect(
      renderTaskDefinition(single, { ...none, environment: [{ key: 'K', value: 'v' }] })
        .containerDefinitions![0].environment,
    ).toEqual([{ name: 'K', value: 'v' }]);
  });
});

describe('sameDefinition (normalised comparison)', () => {
  // What DescribeTaskDefinition returns for base(): ECS's defaults filled in, read-only fields added.
  const registered = (): TaskDefinition => ({
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/app:7',
    revision: 7,
    status: 'ACTIVE',
    family: 'app',
    cpu: '256',
    memory: '512',
    networkMode: 'awsvpc',
    volumes: [],
    placementConstraints: [],
    compatibilities: ['EC2', 'FARGATE'],
    requiresAttributes: [{ name: 'ecs.capability.task-eni' }],
    registeredAt: new Date(),
    containerDefinitions: [
      {
        name: 'web',
        image: 'repo/web:1',
        cpu: 0,
        essential: true,
        environment: [
          { name: 'B', value: '2' },
          { name: 'A', value: '1' },
        ],
        secrets: [{ name: 'DB', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/db' }],
        portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
        mountPoints: [],
        volumesFrom: [],
        systemControls: [],
      },
      {
        name: 'sidecar',
        image: 'repo/sidecar:1',
        cpu: 0,
        essential: false,
        environment: [],
        mountPoints: [],
      },
    ],
  });

  it.each<[string, (d: TaskDefinitionInput) => void, boolean]>([
    ['the same definition with ECS defaults and read-only fields', () => {}, true],
    ['task cpu given as a number in YAML', (d) => Object.assign(d, { cpu: 256 }), true],
    ['containers in another order', (d) => d.containerDefinitions!.reverse(), true],
    ['a changed image', (d) => Object.assign(web(d), { image: 'repo/web:2' }), false],
    ['a changed environment value', (d) => web(d).environment!.push({ name: 'C', value: '3' }), false],
    ['a changed secret', (d) => Object.assign(web(d).secrets![0], { valueFrom: 'arn:other' }), false],
    ['an essential flag flipped', (d) => Object.assign(sidecar(d), { essential: true }), false],
    ['a changed task memory', (d) => Object.assign(d, { memory: '1024' }), false],
    ['a container cpu set', (d) => Object.assign(web(d), { cpu: 128 }), false],
    [
      'awsvpc host port filled in as ECS does',
      (d) => Object.assign(web(d).portMappings![0], { hostPort: 8080 }),
      true,
    ],
    [
      'a host port other than the container port',
      (d) => Object.assign(web(d).portMappings![0], { hostPort: 9090 }),
      false,
    ],
  ])('%s -> %s', (_name, change, same) => {
    const def = base();
    change(def);
    expect(sameDefinition(registered(), def)).toBe(same);
  });

  it('takes a dynamic host port 0 in bridge mode as no host port', () => {
    const file = {
      family: 'b',
      networkMode: 'bridge' as const,
      containerDefinitions: [{ name: 'w', portMappings: [{ containerPort: 80 }] }],
    };
    const described = structuredClone(file);
    Object.assign(described.containerDefinitions[0].portMappings[0], { hostPort: 0, protocol: 'tcp' });
    expect(sameDefinition(described, file)).toBe(true);
    Object.assign(described.containerDefinitions[0].portMappings[0], { hostPort: 80 });
    expect(sameDefinition(described, file)).toBe(false);
  });

  it('finds the registered revision that equals the rendered one, skipping inactive ones', () => {
    const inactive: TaskDefinition = {
      ...registered(),
      status: 'INACTIVE',
      taskDefinitionArn: 'arn:inactive',
    };
    expect(findEqualRevision(base(), [undefined, inactive, registered()])?.taskDefinitionArn).toBe(
      'arn:aws:ecs:us-east-1:123456789012:task-definition/app:7',
    );
    expect(findEqualRevision({ ...base(), memory: '1024' }, [registered()])).toBeUndefined();
  });

  it('normalises away empty lists, defaults and key order', () => {
    expect(normalise(registered())).toEqual(normalise(base()));
  });

  it('diffs by container and entry name', () => {
    const after = renderTaskDefinition(base(), {
      ...none,
      images: [{ container: 'web', image: `repo/web@${DIGEST}` }],
      environment: [{ container: 'web', key: 'A', value: 'one' }],
    });
    expect(diffDefinitions(registered(), after)).toEqual([
      { path: 'containerDefinitions[web].environment[A].value', before: '1', after: 'one' },
      { path: 'containerDefinitions[web].image', before: 'repo/web:1', after: `repo/web@${DIGEST}` },
    ]);
    expect(diffDefinitions(registered(), base())).toEqual([]);
  });
});

describe('readTaskDefinitionFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-ecs-render-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads JSON, YAML and describe-task-definition output alike', () => {
    const json = readTaskDefinitionFile(file('a.json', JSON.stringify(base())));
    const yaml = readTaskDefinitionFile(
      file('a.yaml', 'family: app\ncpu: 256\ncontainerDefinitions:\n  - name: web\n    image: repo/web:1\n'),
    );
    const wrapped = readTaskDefinitionFile(
      file('d.json', JSON.stringify({ taskDefinition: { ...base(), revision: 4, status: 'ACTIVE' } })),
    );
    expect(json).toEqual(base());
    expect(yaml).toEqual({
      family: 'app',
      cpu: 256,
      containerDefinitions: [{ name: 'web', image: 'repo/web:1' }],
    });
    expect(wrapped).toEqual(base());
  });

  it.each([
    ['bad.json', '{"family": ', /is not valid JSON or YAML/],
    ['list.yaml', '- a\n- b\n', /is not a task definition: it is not an object/],
    ['nofamily.json', '{"containerDefinitions":[{"name":"x"}]}', /it has no "family"/],
    ['nocontainers.json', '{"family":"x","containerDefinitions":[]}', /it has no "containerDefinitions"/],
    ['noname.json', '{"family":"x","containerDefinitions":[{"image":"y"}]}', /a container has no "name"/],
  ])('refuses %s', (name, text, message) => {
    expect(() => readTaskDefinitionFile(file(name, text))).toThrow(message);
  });

  // issue 17, classes 1 and 2: the file is read by the suite's one reader of path inputs.
  it('refuses a file of the workspace that is a link out of it, and a file past the size cap', () => {
    const workspace = join(dir, 'workspace');
    mkdirSync(workspace);
    symlinkSync(file('outside.json', JSON.stringify(base())), join(workspace, 'task-def.json'));
    writeFileSync(join(workspace, 'big.json'), '');
    truncateSync(join(workspace, 'big.json'), 9 * 2 ** 20);
    const saved = process.env.GITHUB_WORKSPACE;
    process.env.GITHUB_WORKSPACE = workspace;
    try {
      expect(() => readTaskDefinitionFile(join(workspace, 'task-def.json'))).toThrow(
        /^Input "task-definition": task-def\.json leads outside the workspace/,
      );
      expect(() => readTaskDefinitionFile(join(workspace, 'big.json'))).toThrow(
        /big\.json is larger than 8 MiB/,
      );
      expect(readTaskDefinitionFile(join(dir, 'outside.json'))).toEqual(base());
    } finally {
      process.env.GITHUB_WORKSPACE = saved;
    }
  });
});
