import { render } from 'preact';
import { extensionRuntime } from '@/components/common/runtime';
import { OptionsApp } from '@/components/options/options-app';
import { createLiveView } from '@/lib/ui/live-view';

const runtime = extensionRuntime();
const live = createLiveView(runtime, 'options');
render(<OptionsApp live={live} runtime={runtime} />, document.getElementById('app')!);
