import { render } from 'preact';
import { extensionRuntime } from '@/components/common/runtime';
import { PopupApp } from '@/components/popup/popup-app';
import { createLiveView } from '@/lib/ui/live-view';

const runtime = extensionRuntime();
const live = createLiveView(runtime, 'popup');
render(<PopupApp live={live} runtime={runtime} />, document.getElementById('app')!);
