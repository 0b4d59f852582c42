// Loaded by jest before every test file (setupFilesAfterEnv): what the harness made is gone when the file ends.
import { keyParser } from '../../shared/src/compose-fleet/ssh-credentials';
import { yamlParser } from '../../shared/src/lazy-parser';
import { removeRunnerFolders } from './runner-contract';

// The input parsers a bundle loads in chunks of their own when an input needs them (readInputs), loaded before
// the tests, which call the actions' getInputs() directly.
beforeAll(() => Promise.all([yamlParser.load(), keyParser.load()]));
afterAll(() => removeRunnerFolders());
