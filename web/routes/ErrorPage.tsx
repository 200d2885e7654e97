import { PageHead } from "../components/PageHead.tsx";

/** A user-facing error (bad parameter, unknown table or customer). */
export function ErrorPage({ status, message }: { status: number; message: string }) {
  return (
    <>
      <PageHead
        title={status === 404 ? "Not found" : status === 400 ? "Bad request" : "Something went wrong"}
      />
      <section class="card" role="alert" data-testid="error">
        <p>{message}</p>
        <p>
          <a href="/">Back to the overview</a>
        </p>
      </section>
    </>
  );
}
