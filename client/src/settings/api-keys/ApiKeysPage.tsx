import { ApiKeyList } from './components/ApiKeyList';

export default function ApiKeysPage() {
  return (
    <div className="page">
      <ApiKeyList />
    </div>
  );
}
