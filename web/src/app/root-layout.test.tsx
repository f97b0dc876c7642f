import { act, render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import { RootLayout } from './root-layout';

function pages() {
  const page = (title: string) => (
    <main>
      <h1>{title}</h1>
      <label>
        Email <input />
      </label>
    </main>
  );
  const router = createMemoryRouter(
    [
      {
        element: <RootLayout />,
        children: [
          { path: '/one', element: page('One') },
          { path: '/two', element: page('Two') },
        ],
      },
    ],
    { initialEntries: ['/one'] },
  );
  render(<RouterProvider router={router} />);
  return router;
}

// One frame of requestAnimationFrame, as jsdom runs it (a timer of about 16 ms).
const nextFrame = () => act(() => new Promise((resolve) => setTimeout(resolve, 50)));

describe('RootLayout', () => {
  it('moves focus to the new page heading after a navigation', async () => {
    const router = pages();
    await act(() => router.navigate('/two'));
    await nextFrame();
    expect(screen.getByRole('heading', { name: 'Two' })).toHaveFocus();
  });

  it('leaves focus in a field the person went to before the frame', async () => {
    const router = pages();
    await act(() => router.navigate('/two'));
    const field = screen.getByLabelText('Email');
    field.focus();
    await nextFrame();
    expect(field).toHaveFocus();
  });
});
