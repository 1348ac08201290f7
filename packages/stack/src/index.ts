export { startStack, StackError, type Stack, type StackOptions, type AuthorizationServerKind, type ExtraMcpServer } from './stack.ts';
export { PORT_FLAGS, urlsFromPortFlags, urlsForPorts, freePort, freePorts, type StackUrls } from './ports.ts';
export { runDemo, DEMO_USAGE, DEMO_OPTIONS } from './demo-command.ts';
export { runServe, SERVE_USAGE, SERVE_OPTIONS } from './serve-command.ts';
export { SCENARIOS, formatScenarioList, formatScenarioTable, runScenarios } from './scenarios/command.ts';
export { runScenario, scenarioContext, SHORT_LIVED_TOKEN_SECONDS, type Scenario, type Outcome, type ScenarioContext } from './scenarios/kit.ts';
