import { Alert, Button, ErrorState, LoadingSpinner, Text } from '@hubspot/ui-extensions';

/** The one error display for every Closewise card: what happened, and a way to try again. */
export function CardError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <ErrorState title="Closewise could not load this score" testId="card-error">
      <Text>{message}</Text>
      <Button onClick={() => onRetry()} testId="retry">
        Try again
      </Button>
    </ErrorState>
  );
}

export function CardLoading() {
  return <LoadingSpinner label="Loading Closewise score…" showLabel layout="centered" testId="card-loading" />;
}

export function NotScoredNotice({ message, onRescore }: { message: string; onRescore?: () => void }) {
  return (
    <Alert title="Not scored yet" variant="info" testId="not-scored">
      {message}
      {onRescore ? (
        <Button size="xs" onClick={() => onRescore()} testId="rescore-now">
          Score now
        </Button>
      ) : null}
    </Alert>
  );
}

/** Honest about a young portal: the number is real but comes from the built-in prior, not this portal's history. */
/**
 * The portal's own model trained, but its closed history does not predict outcomes: the number is close to the
 * portal's overall rate for records like this one, and saying so is more honest than a confident percentage.
 */
export function NoSignalNotice({ auc }: { auc: number | undefined }) {
  const measured = auc === undefined ? '' : ` (AUC ${auc.toFixed(2)} on held-out records as they were created)`;
  return (
    <Alert title="History does not predict outcomes yet" variant="warning" testId="no-signal">
      {`On this portal's closed records, the fields Closewise reads barely tell won from lost${measured}. The chance shown stays close to the overall rate; treat reasons as hints until more telling history builds up (activities, stages, your own fields).`}
    </Alert>
  );
}

export function PriorModelNotice() {
  return (
    <Alert title="Not enough data yet" variant="warning" testId="prior-model">
      Scores come from Closewise&apos;s prior model until this portal has enough closed records to train its own. Treat them as a starting
      point; they sharpen after the first retraining.
    </Alert>
  );
}
