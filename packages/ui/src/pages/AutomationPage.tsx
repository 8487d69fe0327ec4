export function AutomationPage() {
  return (
    <div className="page">
      <h1>Automation</h1>
    </div>
  );
}
