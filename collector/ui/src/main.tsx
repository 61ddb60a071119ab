// First import: starts the list's API requests before the rest of the app is evaluated (see prefetch.ts).
import './prefetch.js';
import { render } from 'preact';
import { App } from './components/App.js';
import './styles.css';

render(<App />, document.getElementById('app')!);
