/*
 * test_rbtree.c - the red-black tree (rbtree.h): after every operation
 * the colours (root black, no red node with a red child), equal black
 * height on every path, in-order keys, parent links, and an augmented
 * subtree_max kept through rotations and erases; also under 100k random
 * inserts and erases against a sorted reference.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kmemsh/rbtree.h"

struct item {
	struct rb_node rb;
	uint64_t key;
	uint64_t val;           /* augmented: max of val over the subtree */
	uint64_t subtree_max;
	bool in;
};

static uint64_t compute_max(struct item *it)
{
	uint64_t mx = it->val;
	if (it->rb.rb_left) {
		uint64_t l = rb_entry(it->rb.rb_left, struct item, rb)->subtree_max;
		if (l > mx)
			mx = l;
	}
	if (it->rb.rb_right) {
		uint64_t r = rb_entry(it->rb.rb_right, struct item, rb)->subtree_max;
		if (r > mx)
			mx = r;
	}
	return mx;
}

static void aug_propagate(struct rb_node *rb, struct rb_node *stop)
{
	while (rb != stop) {
		struct item *it = rb_entry(rb, struct item, rb);
		uint64_t mx = compute_max(it);
		if (it->subtree_max == mx)
			break;
		it->subtree_max = mx;
		rb = rb_parent(&it->rb);
	}
}

static void aug_copy(struct rb_node *o, struct rb_node *n)
{
	rb_entry(n, struct item, rb)->subtree_max = rb_entry(o, struct item, rb)->subtree_max;
}

static void aug_rotate(struct rb_node *o, struct rb_node *n)
{
	struct item *old = rb_entry(o, struct item, rb), *nw = rb_entry(n, struct item, rb);
	nw->subtree_max = old->subtree_max;
	old->subtree_max = compute_max(old);
}

static const struct rb_augment_callbacks aug_cb = { aug_propagate, aug_copy, aug_rotate };

static void insert(struct rb_root *root, struct item *it, bool augmented)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;
	it->subtree_max = it->val;
	while (*link) {
		parent = *link;
		struct item *p = rb_entry(parent, struct item, rb);
		if (augmented && p->subtree_max < it->val)
			p->subtree_max = it->val;
		link = it->key < p->key ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&it->rb, parent, link);
	if (augmented)
		rb_insert_augmented(&it->rb, root, &aug_cb);
	else
		rb_insert_color(&it->rb, root);
	it->in = true;
}

static void erase(struct rb_root *root, struct item *it, bool augmented)
{
	if (augmented)
		rb_erase_augmented(&it->rb, root, &aug_cb);
	else
		rb_erase(&it->rb, root);
	it->in = false;
}

/* black height of the subtree, checking everything on the way; -1 on error */
static int verify(const struct rb_node *n, const struct rb_node *parent, bool augmented, size_t *count)
{
	if (!n)
		return 1;
	const struct item *it = rb_entry(n, struct item, rb);
	if (rb_parent(n) != parent)
		return -1;
	if (rb_is_red(n) && ((n->rb_left && rb_is_red(n->rb_left)) || (n->rb_right && rb_is_red(n->rb_right))))
		return -1;
	if (n->rb_left && rb_entry(n->rb_left, struct item, rb)->key > it->key)
		return -1;
	if (n->rb_right && rb_entry(n->rb_right, struct item, rb)->key < it->key)
		return -1;
	if (augmented && it->subtree_max != compute_max((struct item *)it))
		return -1;
	int l = verify(n->rb_left, n, augmented, count);
	int r = verify(n->rb_right, n, augmented, count);
	if (l < 0 || r < 0 || l != r)
		return -1;
	(*count)++;
	return l + rb_is_black(n);
}

static void check_tree(const struct rb_root *root, bool augmented, const uint64_t *ref, size_t nref)
{
	size_t count = 0;
	if (root->rb_node)
		assert_true(rb_is_black(root->rb_node));
	assert_true(verify(root->rb_node, NULL, augmented, &count) > 0);
	assert_int_equal(count, nref);
	/* in-order walk equals the sorted reference, both ways */
	size_t i = 0;
	for (struct rb_node *n = rb_first(root); n; n = rb_next(n), i++)
		assert_int_equal(rb_entry(n, struct item, rb)->key, ref[i]);
	assert_int_equal(i, nref);
	for (struct rb_node *n = rb_last(root); n; n = rb_prev(n))
		assert_int_equal(rb_entry(n, struct item, rb)->key, ref[--i]);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* sorted reference of the keys of the items in the tree */
static size_t reference(const struct item *items, size_t n, uint64_t *ref)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (items[i].in)
			ref[k++] = items[i].key;
	qsort(ref, k, sizeof *ref, cmp_u64);
	return k;
}

static uint64_t rng = 88172645463325252ull;
static uint64_t xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void run_every_step(bool augmented)
{
	enum { N = 300 };
	struct item items[N];
	uint64_t ref[N];
	memset(items, 0, sizeof items);
	struct rb_root root = RB_ROOT;
	for (size_t i = 0; i < N; i++) {
		items[i].key = xorshift() % 1000;       /* duplicates too */
		items[i].val = xorshift() % 100000;
	}
	/* ascending, descending and random insertion orders all rotate */
	for (size_t i = 0; i < N; i++) {
		insert(&root, &items[i], augmented);
		check_tree(&root, augmented, ref, reference(items, N, ref));
	}
	for (size_t i = 0; i < N; i += 2) {
		erase(&root, &items[i], augmented);
		check_tree(&root, augmented, ref, reference(items, N, ref));
	}
	for (size_t i = N; i-- > 0;) {
		if (items[i].in)
			erase(&root, &items[i], augmented);
		check_tree(&root, augmented, ref, reference(items, N, ref));
	}
	assert_null(root.rb_node);
	for (size_t i = 0; i < N; i++) {
		items[i].key = i;
		insert(&root, &items[i], augmented);
		check_tree(&root, augmented, ref, reference(items, N, ref));
	}
	for (size_t i = 0; i < N; i++) {
		erase(&root, &items[i], augmented);
		check_tree(&root, augmented, ref, reference(items, N, ref));
	}
}

static void rbtree__every_insert_and_erase__keeps_colours_black_height_and_order(void **state)
{
	(void)state;
	run_every_step(false);
}

static void rbtree_augmented__every_insert_and_erase__keeps_subtree_max(void **state)
{
	(void)state;
	run_every_step(true);
}

static void rbtree_augmented__100k_random_ops__agrees_with_sorted_reference(void **state)
{
	(void)state;
	enum { POOL = 4096, OPS = 100000 };
	struct item *items = calloc(POOL, sizeof *items);
	uint64_t *ref = calloc(POOL, sizeof *ref);
	assert_non_null(items);
	assert_non_null(ref);
	struct rb_root root = RB_ROOT;
	size_t live = 0;
	for (size_t op = 0; op < OPS; op++) {
		struct item *it = &items[xorshift() % POOL];
		if (it->in) {
			erase(&root, it, true);
			live--;
		} else {
			it->key = xorshift() % 100000;
			it->val = xorshift() % 1000000;
			insert(&root, it, true);
			live++;
		}
		assert_true(!root.rb_node || rb_is_black(root.rb_node));
		if (op % 997 == 0 || op == OPS - 1) {
			check_tree(&root, true, ref, reference(items, POOL, ref));
		} else if (op % 13 == 0) {
			/* cheap check each step: the root's max is the true max */
			uint64_t mx = 0;
			for (size_t i = 0; i < POOL; i++)
				if (items[i].in && items[i].val > mx)
					mx = items[i].val;
			assert_int_equal(root.rb_node ? rb_entry(root.rb_node, struct item, rb)->subtree_max : 0, mx);
		}
	}
	assert_int_equal(reference(items, POOL, ref), live);
	free(items);
	free(ref);
}

static void rbtree__replace_node__keeps_the_tree(void **state)
{
	(void)state;
	struct item items[10], repl;
	uint64_t all[10];
	memset(items, 0, sizeof items);
	struct rb_root root = RB_ROOT;
	for (int i = 0; i < 10; i++) {
		items[i].key = all[i] = (uint64_t)i * 10;
		insert(&root, &items[i], false);
	}
	repl = items[4];
	rb_replace_node(&items[4].rb, &repl.rb, &root);
	check_tree(&root, false, all, 10);
	assert_ptr_equal(rb_next(&items[3].rb), &repl.rb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rbtree__every_insert_and_erase__keeps_colours_black_height_and_order),
		cmocka_unit_test(rbtree_augmented__every_insert_and_erase__keeps_subtree_max),
		cmocka_unit_test(rbtree_augmented__100k_random_ops__agrees_with_sorted_reference),
		cmocka_unit_test(rbtree__replace_node__keeps_the_tree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
