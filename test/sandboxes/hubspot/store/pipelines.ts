/** Deal pipelines as HubSpot's pipelines API returns them (metadata values are strings). */
export interface PipelineStage {
  id: string;
  label: string;
  displayOrder: number;
  metadata: { isClosed: string; probability: string };
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT';
}

export interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: PipelineStage[];
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

function stage(id: string, label: string, displayOrder: number, probability: number, isClosed: boolean, at: string): PipelineStage {
  return {
    id,
    label,
    displayOrder,
    metadata: { isClosed: String(isClosed), probability: String(probability) },
    createdAt: at,
    updatedAt: at,
    archived: false,
    writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
  };
}

export function makeStage(
  s: { id: string; label: string; displayOrder: number; probability: number; closed: boolean },
  at: string,
): PipelineStage {
  return stage(s.id, s.label, s.displayOrder, s.probability, s.closed, at);
}

/** A new HubSpot portal's "Sales Pipeline" (id `default`) with its standard stages. */
export function defaultSalesPipeline(at: string): Pipeline {
  return {
    id: 'default',
    label: 'Sales Pipeline',
    displayOrder: 0,
    createdAt: at,
    updatedAt: at,
    archived: false,
    stages: [
      stage('appointmentscheduled', 'Appointment Scheduled', 0, 0.2, false, at),
      stage('qualifiedtobuy', 'Qualified To Buy', 1, 0.4, false, at),
      stage('presentationscheduled', 'Presentation Scheduled', 2, 0.6, false, at),
      stage('decisionmakerboughtin', 'Decision Maker Bought-In', 3, 0.8, false, at),
      stage('contractsent', 'Contract Sent', 4, 0.9, false, at),
      stage('closedwon', 'Closed Won', 5, 1, true, at),
      stage('closedlost', 'Closed Lost', 6, 0, true, at),
    ],
  };
}
