/** What one setup step did: whether it changed anything, and a short human description. */
export interface StepReport {
  /** Step name: `database`, `schema`, `capture`, `seed`, `bucket`, `connector`. */
  step: string;
  changed: boolean;
  detail: string;
}
