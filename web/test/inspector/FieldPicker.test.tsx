// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FieldPicker } from '../../src/editor/inspector/FieldPicker.tsx';
import { insertableVariables } from '../../src/editor/inspector/insertable-variables.ts';

afterEach(cleanup);

describe('FieldPicker', () => {
  it('lists customer, event and journey variables', () => {
    const paths = insertableVariables(['first_name', 'email', 'favourite colour'], ['cartId']).map((v) => v.path);
    expect(paths).toEqual(['customer.email', 'customer.phone', 'customer.id', 'customer.first_name', 'customer["favourite colour"]', 'event.cartId', 'journey.name', 'journey.entered_at']);
  });

  it('inserts the chosen variable as a Liquid tag and closes', () => {
    const onInsert = vi.fn();
    render(<FieldPicker traits={['first_name']} eventProperties={['cartId']} onInsert={onInsert} />);
    const button = screen.getByRole('button', { name: 'Insert variable' });
    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'customer.first_name' }));
    expect(onInsert).toHaveBeenCalledWith('{{ customer.first_name }}');
    expect(screen.queryByRole('button', { name: 'event.cartId' })).toBeNull();
  });

  it('is keyboard usable: focus moves into the list, arrows move, Escape closes', () => {
    render(<FieldPicker traits={[]} onInsert={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Insert variable' }));
    expect(document.activeElement?.textContent).toBe('customer.email');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement?.textContent).toBe('customer.phone');
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('button', { name: 'customer.phone' })).toBeNull();
    expect(document.activeElement?.textContent).toBe('Insert variable');
  });
});
