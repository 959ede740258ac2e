import {createRoot} from 'react-dom/client';
import {Chat} from './Chat.tsx';

createRoot(document.getElementById('app')!).render(<Chat />);
