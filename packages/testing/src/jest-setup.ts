// Loaded by jest before every test file (setupFilesAfterEnv): what the harness made is gone when the file ends.
import { removeRunnerFolders } from './runner-contract';

afterAll(() => removeRunnerFolders());
