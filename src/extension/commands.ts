/** Every command id, in one place (package.json contributes the same ids). */
export const Commands = {
  showUsage: 'agentUsage.showUsage',
  refresh: 'agentUsage.refresh',
  export: 'agentUsage.export',
  showLogs: 'agentUsage.showLogs',
  openSettings: 'agentUsage.openSettings',
  runCli: 'agentUsage.runCli',
  fixClaudeLimits: 'agentUsage.fixClaudeLimits',
  openThreadLog: 'agentUsage.openThreadLog',
  revealThreadCwd: 'agentUsage.revealThreadCwd',
  setThreadsRange: 'agentUsage.setThreadsRange',
  sortThreads: 'agentUsage.sortThreads',
} as const;

export const VIEW_THREADS = 'agentUsage.threads';
export const DASHBOARD_VIEW_TYPE = 'agentUsage.dashboard';
