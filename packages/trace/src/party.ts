/** The parties of the flow, each its own process: who emitted an event, who refused a request. */
export type Party = 'client' | 'authorization-server' | 'resource-server' | 'client-host';
