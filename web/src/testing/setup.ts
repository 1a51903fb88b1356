import { configure } from '@testing-library/react';

/** Generous waits for findBy/waitFor: the machines running these tests share their cores. */
configure({ asyncUtilTimeout: 5_000 });
