import { get } from './api';
import { useLostConnection } from './components/connection';
import { useLoad } from './components/hooks';
import { Link } from './components/Link';
import { AssetPage } from './pages/AssetPage';
import { AutomationPage } from './pages/AutomationPage';
import { GraphPage } from './pages/GraphPage';
import { RunPage } from './pages/RunPage';
import { RunsPage } from './pages/RunsPage';
import { paths, type Route, useRoute } from './router';

export function App() {
  const route = useRoute();
  const lost = useLostConnection();
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="main">
        <Link to={paths.graph()} className="brand">
          <img src="/favicon.svg" alt="" width={22} height={22} />
          <span>Weir</span>
        </Link>
        <NavLink to={paths.graph()} active={route.page === 'graph' || route.page === 'asset'}>
          Lineage
        </NavLink>
        <NavLink to={paths.runs()} active={route.page === 'runs' || route.page === 'run'}>
          Runs
        </NavLink>
        <NavLink to={paths.automation()} active={route.page === 'automation'}>
          Automation
        </NavLink>
        <AppLinks />
      </nav>
      <main className={route.page === 'graph' ? 'main main-full' : 'main'}>
        {lost ? (
          <div className="connection-lost" role="alert">
            Lost contact with the Weir server — retrying. What this page shows may be out of date,
            and actions will fail until it is back.
          </div>
        ) : null}
        <Page route={route} />
      </main>
    </div>
  );
}

function NavLink(props: { to: string; active: boolean; children: string }) {
  return (
    <Link to={props.to} className={props.active ? 'nav-link active' : 'nav-link'}>
      {props.children}
    </Link>
  );
}

interface AppEntry {
  name: string;
  description: string | null;
  path: string;
}

/** The project's apps (served by the server at /apps/NAME/), as plain links: they are not pages of this UI. */
function AppLinks() {
  const { data } = useLoad(
    (signal) => get<{ apps: AppEntry[] }>('/api/apps', signal).catch(() => ({ apps: [] })),
    [],
  );
  const apps = data?.apps ?? [];
  if (apps.length === 0) return null;
  return (
    <div className="nav-apps">
      <div className="nav-heading">Apps</div>
      {apps.map((a) => (
        <a key={a.name} className="nav-link" href={a.path} title={a.description ?? undefined}>
          {a.name}
        </a>
      ))}
    </div>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'graph':
      return <GraphPage selection={route.selection} />;
    case 'asset':
      return <AssetPage assetKey={route.key} tab={route.tab} />;
    case 'runs':
      return <RunsPage />;
    case 'run':
      return <RunPage runId={route.runId} />;
    case 'automation':
      return <AutomationPage />;
    case 'not-found':
      return (
        <div className="page">
          <h1>Not found</h1>
          <p>
            Nothing at <code>{route.path}</code>.{' '}
            <Link to={paths.graph()}>Back to the lineage</Link>.
          </p>
        </div>
      );
  }
}
