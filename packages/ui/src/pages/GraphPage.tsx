export function GraphPage(props: { selection: string | undefined }) {
  return (
    <div className="page">
      <h1>Lineage</h1>
      <p className="subtle">{props.selection ?? 'every asset'}</p>
    </div>
  );
}
