import { useQuery } from '@apollo/client/react';
import { SignInMethodsDocument } from '@gatehouse/shared/generated';

/**
 * "Continue with Google / Microsoft / GitHub" for the providers this installation enabled. They
 * are plain links: the flow leaves the app for the provider and comes back through the server.
 */
export function SocialSignInButtons({ divider = false }: { divider?: boolean }) {
  const { data } = useQuery(SignInMethodsDocument);
  if (!data?.signInMethods.length) return null;
  return (
    <>
      {divider && <div className="auth-divider">or</div>}
      <div className="social-sign-in">
        {data.signInMethods.map((method) => (
          <a key={method.id} className="button button-secondary button-block" href={method.startUrl}>
            Continue with {method.name}
          </a>
        ))}
      </div>
    </>
  );
}
