import { render } from 'preact';
import { extensionRuntime } from '@/components/common/runtime';
import { PopupApp } from '@/components/popup/popup-app';
import { createLiveView } from '@/lib/ui/live-view';

const live = createLiveView(extensionRuntime(), 'popup');
render(<PopupApp live={live} />, document.getElementById('app')!);
