// The built-in demo: a recording of a real crash loop, made with --record against the real
// single-node cluster of cluster/ (scenario test/scenarios/crashloop.yaml, recorded by
// scripts/record-scenarios.sh into recordings/, where the tests read it too). The bundler inlines it.
import recordingText from '../../recordings/crashloop.jsonl';

export const recording: string = recordingText;
export const name = 'crashloop (recorded from a real kubelet)';
