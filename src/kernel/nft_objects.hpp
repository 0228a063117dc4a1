#pragma once
// RAII owners for libnftnl objects (internal to src/kernel). libnftnl returns
// null only when malloc fails; that is a broken invariant here, not an
// error a caller could handle, so allocation throws std::bad_alloc.
#include <memory>
#include <new>

#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/gen.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>

namespace winipsec::kernel {

struct NftnlFree {
    void operator()(nftnl_table* p) const { nftnl_table_free(p); }
    void operator()(nftnl_chain* p) const { nftnl_chain_free(p); }
    void operator()(nftnl_rule* p) const { nftnl_rule_free(p); }
    void operator()(nftnl_expr* p) const { nftnl_expr_free(p); }
    void operator()(nftnl_set* p) const { nftnl_set_free(p); }
    void operator()(nftnl_set_elem* p) const { nftnl_set_elem_free(p); }
    void operator()(nftnl_gen* p) const { nftnl_gen_free(p); }
    void operator()(nftnl_udata_buf* p) const { nftnl_udata_buf_free(p); }
    void operator()(nftnl_expr_iter* p) const { nftnl_expr_iter_destroy(p); }
    void operator()(nftnl_set_elems_iter* p) const { nftnl_set_elems_iter_destroy(p); }
};

template <typename T>
using NftnlPtr = std::unique_ptr<T, NftnlFree>;

template <typename T>
NftnlPtr<T> nftnl_owned(T* object) {
    if (!object) throw std::bad_alloc();
    return NftnlPtr<T>(object);
}

}  // namespace winipsec::kernel
