// Contacts awaiting a decision, for the MASH / front-door manager, rated by how long each has waited.
import type { OperationalList } from './types.ts';

export const LISTS: readonly OperationalList[] = [
  {
    id: 'contacts_awaiting_decision',
    title: 'Contacts awaiting a decision',
    theme: 'front_door',
    description:
      'Contacts received and not yet decided. Green: received today; amber: waiting 1 working day up to the decision standard (decide today); red: waiting longer than the standard (settings: contactDecisionWorkingDays, default 1).',
    details: [
      { name: 'contact_id', label: 'Contact' },
      { name: 'received_at', label: 'Received' },
      { name: 'source', label: 'Source' },
      { name: 'working_days_waiting', label: 'Working days waiting' },
      { name: 'hours_waiting', label: 'Hours waiting' },
    ],
    sql: ({ settings, date, moment }) => `
      SELECT c.child_id, c.team, c.worker, c.contact_id, c.received_at, c.source,
        working_days(CAST(c.received_at AS DATE), DATE '${date}') AS working_days_waiting,
        date_diff('hour', c.received_at, TIMESTAMP '${moment}') AS hours_waiting,
        add_working_days(CAST(c.received_at AS DATE), ${settings.contactDecisionWorkingDays}) AS due_date,
        CASE WHEN working_days(CAST(c.received_at AS DATE), DATE '${date}') > ${settings.contactDecisionWorkingDays} THEN 'red'
             WHEN working_days(CAST(c.received_at AS DATE), DATE '${date}') >= 1 THEN 'amber' ELSE 'green' END AS rag,
        CASE WHEN working_days(CAST(c.received_at AS DATE), DATE '${date}') > ${settings.contactDecisionWorkingDays} THEN 'Decision overdue'
             WHEN working_days(CAST(c.received_at AS DATE), DATE '${date}') >= 1 THEN 'Decide today' ELSE 'Received today' END AS status
      FROM main.contacts c
      WHERE c.received_at <= TIMESTAMP '${moment}' AND (c.decision_at IS NULL OR c.decision_at > TIMESTAMP '${moment}')`,
  },
];
