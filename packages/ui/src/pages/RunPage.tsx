export function RunPage(props: { runId: string }) {
  return (
    <div className="page">
      <h1>Run {props.runId}</h1>
    </div>
  );
}
