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
export function PriorModelNotice() {
  return (
    <Alert title="Not enough data yet" variant="warning" testId="prior-model">
      Scores come from Closewise&apos;s prior model until this portal has enough closed records to train its own. Treat them as a starting
      point; they sharpen after the first retraining.
    </Alert>
  );
}
