export function AssetPage(props: { assetKey: string; tab: string | undefined }) {
  return (
    <div className="page">
      <h1>{props.assetKey}</h1>
    </div>
  );
}
